#include "report/HtmlDocument.h"

namespace eenet {
namespace {

/// Readable on screen and on paper: one column wide enough for a gallery strip of 12 tiles at its own size,
/// system fonts, tables and figures that do not break across pages.
constexpr char kStyle[] = R"(
body { font-family: system-ui, "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #1d1d1f;
       max-width: 66em; margin: 2em auto; padding: 0 1.5em; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #d0d0d5; padding-bottom: 0.2em; }
h3 { font-size: 1.05em; margin: 1.4em 0 0.4em; }
p.lead { color: #55555a; margin-top: 0; }
p.note { color: #55555a; font-size: 0.92em; }
p.description { white-space: pre-wrap; font-size: 0.9em; color: #3a3a3f; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.15em 1.2em; }
dt { font-weight: 600; }
dd { margin: 0; }
table { border-collapse: collapse; margin: 0.6em 0 1em; font-size: 0.92em; page-break-inside: avoid; }
caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: 0.3em; }
th, td { border: 1px solid #d0d0d5; padding: 0.25em 0.6em; vertical-align: top; }
th { background: #f0f0f3; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr:nth-child(even) td { background: #fafafc; }
tr.chosen td { font-weight: 700; background: #fff4d6; }
figure { margin: 1em 0; page-break-inside: avoid; }
figure img { max-width: 100%; height: auto; border: 1px solid #e4e4e8; }
figcaption { font-size: 0.9em; color: #55555a; margin-top: 0.3em; }
ul.texts { list-style: none; padding-left: 0; font-size: 0.9em; }
ul.texts li { margin: 0.2em 0; }
.right { color: #1b7a3a; font-weight: 700; }
.wrong { color: #b3261e; font-weight: 700; }
footer { margin-top: 3em; font-size: 0.85em; color: #77777c; }
)";

QString classAttribute(const QString& cssClass) {
    return cssClass.isEmpty() ? QString() : QStringLiteral(" class=\"%1\"").arg(cssClass);
}

} // namespace

HtmlDocument::HtmlDocument(const QString& title)
    : m_title(title) {}

QString HtmlDocument::escaped(const QString& text) {
    return text.toHtmlEscaped();
}

void HtmlDocument::heading(int level, const QString& text, const QString& id) {
    const QString idAttribute = id.isEmpty() ? QString() : QStringLiteral(" id=\"%1\"").arg(escaped(id));
    m_body += QStringLiteral("<h%1%2>%3</h%1>\n").arg(level).arg(idAttribute, escaped(text));
}

void HtmlDocument::paragraph(const QString& text, const QString& cssClass) {
    m_body += QStringLiteral("<p%1>%2</p>\n").arg(classAttribute(cssClass), escaped(text));
}

void HtmlDocument::definitions(const std::vector<std::pair<QString, QString>>& items) {
    m_body += QStringLiteral("<dl>\n");
    for (const auto& [term, description] : items)
        m_body += QStringLiteral("<dt>%1</dt><dd>%2</dd>\n").arg(escaped(term), escaped(description));
    m_body += QStringLiteral("</dl>\n");
}

void HtmlDocument::table(const HtmlTable& table) {
    m_body += QStringLiteral("<table id=\"%1\">\n").arg(escaped(table.id));
    if (!table.caption.isEmpty())
        m_body += QStringLiteral("<caption>%1</caption>\n").arg(escaped(table.caption));
    m_body += QStringLiteral("<thead><tr>");
    for (const QString& title : table.header)
        m_body += QStringLiteral("<th>%1</th>").arg(escaped(title));
    m_body += QStringLiteral("</tr></thead>\n<tbody>\n");
    for (const HtmlTable::Row& row : table.rows) {
        m_body +=
            QStringLiteral("<tr%1>").arg(classAttribute(row.emphasised ? QStringLiteral("chosen") : ""));
        for (int c = 0; c < row.cells.size(); ++c)
            m_body += QStringLiteral("<td%1>%2</td>")
                          .arg(classAttribute(table.textColumns.contains(c) ? "" : QStringLiteral("n")),
                               escaped(row.cells[c]));
        m_body += QStringLiteral("</tr>\n");
    }
    m_body += QStringLiteral("</tbody>\n</table>\n");
}

void HtmlDocument::figure(const QByteArray& png, int displayWidthPx, const QString& alt,
                          const QString& caption) {
    const QString width =
        displayWidthPx > 0 ? QStringLiteral(" width=\"%1\"").arg(displayWidthPx) : QString();
    m_body += QStringLiteral("<figure><img src=\"data:image/png;base64,%1\"%2 alt=\"%3\"/>")
                  .arg(QString::fromLatin1(png.toBase64()), width, escaped(alt));
    if (!caption.isEmpty())
        m_body += QStringLiteral("<figcaption>%1</figcaption>").arg(escaped(caption));
    m_body += QStringLiteral("</figure>\n");
}

void HtmlDocument::appendMarkup(const QString& markup) {
    m_body += markup;
}

QByteArray HtmlDocument::toUtf8() const {
    return QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n"
                          "<head>\n<meta charset=\"utf-8\"/>\n<title>%1</title>\n<style>%2</style>\n</head>\n"
                          "<body>\n%3</body>\n</html>\n")
        .arg(escaped(m_title), QString::fromLatin1(kStyle), m_body)
        .toUtf8();
}

} // namespace eenet
