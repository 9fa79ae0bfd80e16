#pragma once

// Reading a written HTML report back (tst_report): its tables, images and sections, and whether it parses.

#include "TestData.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QXmlStreamReader>

#include <map>
#include <vector>

namespace eenet::test {

/// What the tests read back from a written report.
struct Page {
    QByteArray html;
    QString xmlError;
    /// Table id -> its header and its body rows, cell texts.
    std::map<QString, QStringList> headers;
    std::map<QString, std::vector<QStringList>> tables;
    QStringList imageSources;
    QStringList sectionIds;
    int textItems = 0;
};

/// Reads the page as XML: a report is polyglot XHTML, so any unbalanced tag or bad entity is an error here.
inline Page readPage(const QString& path) {
    Page page;
    page.html = readBytes(path);
    QXmlStreamReader xml(page.html);
    QString table;
    QStringList row;
    QString cell;
    bool inHeader = false;
    while (!xml.atEnd()) {
        xml.readNext();
        const QString name = xml.name().toString();
        if (xml.isStartElement()) {
            if (name == "table")
                table = xml.attributes().value("id").toString();
            else if (name == "thead" || name == "tbody")
                inHeader = name == "thead";
            else if (name == "tr")
                row.clear();
            else if (name == "td" || name == "th")
                cell.clear();
            else if (name == "img")
                page.imageSources << xml.attributes().value("src").toString();
            else if (name == "h2")
                page.sectionIds << xml.attributes().value("id").toString();
            else if (name == "li")
                ++page.textItems;
        } else if (xml.isCharacters()) {
            cell += xml.text();
        } else if (xml.isEndElement()) {
            if (name == "td" || name == "th")
                row << cell.trimmed();
            else if (name == "tr" && inHeader)
                page.headers[table] = row;
            else if (name == "tr")
                page.tables[table].push_back(row);
        }
    }
    if (xml.hasError())
        page.xmlError = QStringLiteral("line %1: %2").arg(xml.lineNumber()).arg(xml.errorString());
    return page;
}

/// Python's HTML parser, as lenient browsers read: every opened tag is closed in order.
inline const char* const kBalanceCheck = R"(
import sys
from html.parser import HTMLParser
class Balance(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []
    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            sys.exit("unbalanced </%s> at line %d" % (tag, self.getpos()[0]))
parser = Balance()
parser.feed(open(sys.argv[1], encoding="utf-8").read())
parser.close()
if parser.stack:
    sys.exit("left open: %s" % parser.stack)
print("balanced")
)";

} // namespace eenet::test
