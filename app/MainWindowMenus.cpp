// The studio's menus: File, Training, View and Help (the rest of MainWindow is in MainWindow.cpp).
#include "MainWindow.h"

#include "CacheImporter.h"
#include "FileDialogs.h"
#include "GuidedTour.h"
#include "HelpMenu.h"
#include "ImportDialog.h"
#include "ModelRunWiring.h"
#include "PresentationMode.h"
#include "RecentFiles.h"
#include "ReportExporter.h"
#include "SampleLocator.h"
#include "SessionController.h"
#include "TrainingActions.h"
#include "UnsavedWork.h"
#include "session/Session.h"

#include <QAction>
#include <QActionGroup>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>

namespace eenet {

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, [this] {
        const QStringList recent = m_recent->files();
        const QString path = askPredictionsFile(
            this, recent.isEmpty() ? QDir::homePath() : QFileInfo(recent.front()).absolutePath());
        if (!path.isEmpty())
            requestOpen(path);
    });
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addAction(tr("Open &Sample"), this, [this] { requestOpen(sampleFilePath()); });
    auto* importer = new CacheImporter(this);
    QAction* importAction = file->addAction(tr("&Import…"), this, [this, importer] {
        auto* dialog = new ImportDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, importer, [this, dialog, importer] {
            statusBar()->showMessage(
                tr("Importing %1 …").arg(QString::fromStdString(dialog->request().source)));
            importer->start(dialog->request(), dialog->outputPath());
        });
        dialog->open();
    });
    importAction->setStatusTip(
        tr("Convert a prediction cache (MSDNet's logits_single.pth, or an .npz) into a "
           "predictions file and open it"));
    connect(importer, &CacheImporter::imported, this, [this](const QString& path, const QString& summary) {
        statusBar()->showMessage(tr("Imported into %1: %2").arg(QDir::toNativeSeparators(path), summary),
                                 15000);
        requestOpen(path);
    });
    connect(importer, &CacheImporter::failed, this, [this](const QString& source, const QString& message) {
        statusBar()->clearMessage();
        showError(tr("Cannot import %1").arg(QFileInfo(source).fileName()), message);
    });
    QAction* attachModel = file->addAction(tr("Attach &Model…"), this,
                                           [this] { attachModelInteractively(this, m_session, m_modelRun); });
    attachModel->setStatusTip(tr("Attach the multi-exit TorchScript model behind the file, to run the policy "
                                 "for real (the Run on model tab)"));
    file->addSeparator();
    QAction* openSession = file->addAction(tr("Open Sess&ion…"), this, [this] {
        if (const QString path = askSessionToOpen(this); !path.isEmpty())
            m_unsaved->askThen(tr("opening %1").arg(QFileInfo(path).fileName()),
                               [this, path] { m_sessions->open(path); });
    });
    openSession->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    QAction* saveSession = file->addAction(tr("Save Session &As…"), this, [this] {
        if (const QString path = askSessionToSave(this); !path.isEmpty())
            m_sessions->save(path);
    });
    saveSession->setShortcut(QKeySequence::Save);
    saveSession->setStatusTip(
        tr("Save the input, budget, method, trained schedulers and layout to reopen later"));
    file->addSeparator();
    QAction* exportAction = file->addAction(tr("&Export Scheduler…"), this, [this] {
        const QString suggested = QStringLiteral("%1-%2.json")
                                      .arg(QString::fromStdString(m_session->method().name()))
                                      .arg(m_session->budget(), 0, 'g', 4);
        if (const QString path = askSchedulerPath(this, suggested); !path.isEmpty())
            exportScheduler(path);
    });
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    exportAction->setStatusTip(
        tr("Save the method shown at the current budget as a scheduler a deployment can "
           "load (JSON or TorchScript), checked by replaying it"));
    auto* reports = new ReportExporter(m_session, this);
    QAction* reportAction = file->addAction(tr("Export &Report…"), this, [this, reports] {
        const QString suggested = QStringLiteral("report-%1-%2.html")
                                      .arg(QString::fromStdString(m_session->method().name()))
                                      .arg(m_session->budget(), 0, 'g', 4);
        if (const QString path = askReportPath(this, suggested); !path.isEmpty()) {
            statusBar()->showMessage(tr("Writing the report %1 …").arg(QDir::toNativeSeparators(path)));
            reports->exportTo(path);
        }
    });
    reportAction->setStatusTip(
        tr("Save one HTML page: the file, the curves, where samples leave, every method "
           "at the budget and at equal cost, the thresholds and samples at each exit"));
    connect(reports, &ReportExporter::exported, this, [this](const QString& path, qint64 bytes) {
        statusBar()->showMessage(
            tr("Report written to %1 (%2 KB)").arg(QDir::toNativeSeparators(path)).arg((bytes + 512) / 1024),
            10000);
    });
    connect(reports, &ReportExporter::failed, this, [this](const QString& path, const QString& message) {
        statusBar()->clearMessage();
        showError(tr("Cannot write the report %1").arg(QFileInfo(path).fileName()), message);
    });
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* training = menuBar()->addMenu(tr("&Training"));
    training->addAction(m_trainingActions->trainAction());
    training->addAction(m_trainingActions->trainCurveAction());
    training->addAction(m_trainingActions->cancelAction());
    training->addSeparator();
    training->addAction(m_trainingActions->trainOnReleaseAction());

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    // The centre's tabs first, Ctrl+1, Ctrl+2, … as in a browser.
    for (int tab = 0; tab < m_stage->count(); ++tab) {
        QAction* show = m_viewMenu->addAction(m_stage->tabText(tab), this,
                                              [this, tab] { m_stage->setCurrentIndex(tab); });
        show->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + tab)));
    }
    m_viewMenu->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        m_viewMenu->addAction(dock->toggleViewAction());
    m_viewMenu->addSeparator();
    for (QToolBar* bar : findChildren<QToolBar*>())
        m_viewMenu->addAction(bar->toggleViewAction());
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_presentation->action());
    m_viewMenu->addAction(tr("Reset &Layout"), this, &MainWindow::arrangeDefaultLayout);
    QMenu* themes = m_viewMenu->addMenu(tr("&Theme"));
    auto* themeGroup = new QActionGroup(this);
    for (Theme theme : {Theme::System, Theme::Light, Theme::Dark}) {
        const QString label = theme == Theme::System  ? tr("&System")
                              : theme == Theme::Light ? tr("&Light")
                                                      : tr("&Dark");
        QAction* action = themes->addAction(label, this, [this, theme] { setTheme(theme); });
        action->setCheckable(true);
        action->setData(themeName(theme));
        themeGroup->addAction(action);
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* tour = help->addAction(tr("Guided &Tour"), m_tour, &GuidedTour::start);
    tour->setToolTip(tr("Ten short steps through early exit, on the open file"));
    fillHelpMenu(help, this);
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QStringList files = m_recent->files();
    for (int i = 0; i < files.size(); ++i) {
        const QString path = files[i];
        QAction* action =
            m_recentMenu->addAction(QStringLiteral("&%1  %2").arg(i + 1).arg(QDir::toNativeSeparators(path)),
                                    this, [this, path] { requestOpen(path); });
        action->setToolTip(path);
    }
    if (!files.isEmpty())
        m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("Clear List"), m_recent, &RecentFiles::clear);
    clear->setEnabled(!files.isEmpty());
}

} // namespace eenet
