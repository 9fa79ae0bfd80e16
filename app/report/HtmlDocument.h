#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace eenet {

/// A table as the report shows it: plain-text cells (escaped when written), a row per item.
struct HtmlTable {
    struct Row {
        QStringList cells;
        /// Drawn in bold with a tinted background: the chosen method's row.
        bool emphasised = false;
    };
    /// The element id, so a reader (or a test) can find the table.
    QString id;
    QString caption;
    QStringList header;
    /// The columns holding text, left-aligned; the others hold numbers: right-aligned, in tabular figures.
    QList<int> textColumns{0};
    std::vector<Row> rows;
};

/// Builds one self-contained HTML page: inline CSS, images embedded as data: URIs, no scripts and no links,
/// so the file can be mailed or archived and opens the same anywhere. Every element is closed and every
/// attribute quoted (polyglot XHTML), so an XML parser reads the page as well as a browser does. Text is
/// escaped where it is added; only appendMarkup() takes markup as is.
class HtmlDocument {
public:
    explicit HtmlDocument(const QString& title);

    /// `text` with &, <, > and " escaped.
    static QString escaped(const QString& text);

    /// <h1>..<h3>; `id` (optional) names the section it starts.
    void heading(int level, const QString& text, const QString& id = {});
    void paragraph(const QString& text, const QString& cssClass = {});
    /// Terms and their descriptions, as a definition list.
    void definitions(const std::vector<std::pair<QString, QString>>& items);
    void table(const HtmlTable& table);
    /// A PNG as a figure `displayWidthPx` wide (the image may hold more pixels, for sharp printing; 0: at
    /// its own size).
    void figure(const QByteArray& png, int displayWidthPx, const QString& alt, const QString& caption);
    /// Markup the caller built from escaped text.
    void appendMarkup(const QString& markup);

    /// The whole page, UTF-8.
    QByteArray toUtf8() const;

private:
    QString m_title;
    QString m_body;
};

} // namespace eenet
