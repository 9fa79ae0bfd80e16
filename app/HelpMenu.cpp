#include "HelpMenu.h"

#include "SampleLocator.h"

#include <QAction>
#include <QDialog>
#include <QDir>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace eenet {
namespace {

/// Window-modal and non-blocking, like every message of the studio.
void showMessage(QMainWindow* window, const QString& name, const QString& title, const QString& html) {
    auto* box = new QMessageBox(QMessageBox::NoIcon, title, html, QMessageBox::Close, window);
    box->setObjectName(name);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void showGettingStarted(QMainWindow* window) {
    showMessage(
        window, QStringLiteral("gettingStartedBox"), QObject::tr("Getting started"),
        QObject::tr(
            "<p><b>EENet Studio compares exit policies of a multi-exit network under an average cost "
            "budget.</b></p>"
            "<ol>"
            "<li>Open your predictions file (File ▸ Open, or drop it on the window), or start with "
            "File ▸ Open Sample.</li>"
            "<li>Drag the <b>budget</b> slider: the curves, the exit distribution, the thresholds and "
            "the per-class map all follow.</li>"
            "<li>Choose <b>EENet</b> as the method and press <b>Train</b> (Ctrl+T) to fit it at the "
            "budget, or <b>Train curve</b> (Ctrl+Shift+T) for the whole range.</li>"
            "<li>Click a bar, histogram bin or map cell: the <b>sample inspector</b> lists those "
            "samples and why they left where they did.</li>"
            "<li>File ▸ <b>Export Scheduler</b> (Ctrl+E) saves the policy for deployment; "
            "File ▸ <b>Save Session</b> (Ctrl+S) keeps everything to reopen later.</li>"
            "</ol>"
            "<p>Help ▸ Documentation explains every view.</p>"));
}

void showDocumentation(QMainWindow* window) {
    const QString start = QDir(documentationDir()).filePath(QStringLiteral("studio.md"));
    if (!QFileInfo::exists(start)) {
        QMessageBox::warning(window, QObject::tr("Documentation"),
                             QObject::tr("The documentation is not installed: %1 does not exist.")
                                 .arg(QDir::toNativeSeparators(start)));
        return;
    }
    auto* dialog = window->findChild<QDialog*>(QStringLiteral("documentationWindow"));
    if (!dialog) {
        dialog = new QDialog(window);
        dialog->setObjectName(QStringLiteral("documentationWindow"));
        dialog->setWindowTitle(QObject::tr("EENet Studio documentation"));
        dialog->resize(900, 700);
        auto* browser = new QTextBrowser(dialog);
        browser->setObjectName(QStringLiteral("documentationBrowser"));
        // Links between the .md pages open here, as Markdown (by their suffix); web links in a browser.
        browser->setOpenExternalLinks(true);
        browser->setSource(QUrl::fromLocalFile(start), QTextDocument::MarkdownResource);
        auto* layout = new QVBoxLayout(dialog);
        layout->addWidget(browser);
    }
    dialog->show();
    dialog->raise();
}

void showShortcuts(QMainWindow* window) {
    QStringList rows;
    QList<QAction*> actions = window->findChildren<QAction*>();
    std::sort(actions.begin(), actions.end(),
              [](const QAction* a, const QAction* b) { return a->text() < b->text(); });
    QStringList seen;
    for (const QAction* action : actions) {
        const QString keys = action->shortcut().toString(QKeySequence::NativeText);
        const QString text = QString(action->text()).remove(QLatin1Char('&')).remove(QStringLiteral("…"));
        if (keys.isEmpty() || seen.contains(keys + text))
            continue;
        seen.append(keys + text);
        rows.append(QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                        .arg(keys.toHtmlEscaped(), text.toHtmlEscaped()));
    }
    rows.append(QObject::tr("<tr><td><b>Left / Right, Page Up / Down</b></td><td>move the budget slider "
                            "(0.1 %, 5 %)</td></tr>"
                            "<tr><td><b>Wheel, drag, double click</b></td><td>zoom, pan, reset any "
                            "chart</td></tr>"));
    showMessage(window, QStringLiteral("shortcutsBox"), QObject::tr("Keyboard shortcuts"),
                QStringLiteral("<table cellspacing=6>%1</table>").arg(rows.join(QString())));
}

} // namespace

void fillHelpMenu(QMenu* help, QMainWindow* window) {
    QAction* start =
        help->addAction(QObject::tr("&Getting Started"), window, [window] { showGettingStarted(window); });
    start->setShortcut(QKeySequence::HelpContents);
    help->addAction(QObject::tr("&Documentation"), window, [window] { showDocumentation(window); });
    help->addAction(QObject::tr("&Keyboard Shortcuts"), window, [window] { showShortcuts(window); });
    help->addSeparator();
    help->addAction(QObject::tr("&About EENet Studio"), window, [window] {
        QMessageBox::about(
            window, QObject::tr("About EENet Studio"),
            QObject::tr("<b>EENet Studio %1</b><br>Analysis of early-exit neural networks: exit "
                        "policies under an average cost budget (EENet, Ilhan et al., WACV "
                        "2024).")
                .arg(QStringLiteral(EENET_VERSION)));
    });
}

} // namespace eenet
