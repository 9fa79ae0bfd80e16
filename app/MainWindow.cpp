#include "MainWindow.h"

#include "BandController.h"
#include "BudgetControl.h"
#include "CalibrationController.h"
#include "CalibrationSwitch.h"
#include "CalibrationView.h"
#include "ClassAccuracyChart.h"
#include "ClassExitMap.h"
#include "ClassExitMapPanel.h"
#include "CompareView.h"
#include "CurveController.h"
#include "DatasetView.h"
#include "ExitDistributionPlot.h"
#include "ExitFlowView.h"
#include "ExitGallery.h"
#include "FileDialogs.h"
#include "GuidedTour.h"
#include "LoadController.h"
#include "LoadProgress.h"
#include "ModelRunController.h"
#include "ModelRunView.h"
#include "ModelRunWiring.h"
#include "OverthinkingView.h"
#include "PolicyController.h"
#include "PolicyControls.h"
#include "PolicyCurvesPlot.h"
#include "PresentationMode.h"
#include "RecentFiles.h"
#include "SampleInspector.h"
#include "SchedulerExporter.h"
#include "ServingSwitch.h"
#include "ServingView.h"
#include "SessionController.h"
#include "SessionRecovery.h"
#include "ThresholdHistograms.h"
#include "TrainingActions.h"
#include "TrainingController.h"
#include "TrainingPlot.h"
#include "TrainingStatus.h"
#include "UnsavedWork.h"
#include "session/Session.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>

namespace eenet {
namespace {

/// What a drop may bring: a predictions file or a session.
bool isOpenableFile(const QUrl& url) {
    const QString suffix = QFileInfo(url.toLocalFile()).suffix().toLower();
    return url.isLocalFile() && (suffix == QLatin1String("h5") || suffix == QLatin1String("hdf5") ||
                                 isSessionFile(url.toLocalFile()));
}

constexpr auto kGeometryKey = "mainWindow/geometry";
constexpr auto kStateKey = "mainWindow/state";
constexpr auto kThemeKey = "view/theme";
constexpr auto kStageTabKey = "view/stageTab";
/// Bumped when the docks change, so an old saved layout is not applied to a new set of docks.
constexpr int kLayoutVersion = 4;

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_session(new Session(this))
    , m_loader(new LoadController(this))
    , m_recent(new RecentFiles(this))
    , m_curves(new CurveController(m_session, this))
    , m_calibration(new CalibrationController(m_session, this))
    , m_bands(new BandController(m_session, this))
    , m_policy(new PolicyController(m_session, this))
    , m_training(new TrainingController(m_session, this))
    , m_trainingActions(new TrainingActions(m_session, m_training, CurveController::kBudgetCount, this))
    , m_exporter(new SchedulerExporter(m_session, this))
    , m_sessions(new SessionController(m_session, m_loader, this, this))
    , m_unsaved(new UnsavedWork(m_session, m_sessions, this))
    , m_recovery(new SessionRecovery(m_session, m_sessions, m_unsaved, this))
    , m_controls(new PolicyControls(m_session, this))
    , m_curvesPlot(new PolicyCurvesPlot(m_session, this))
    , m_datasetView(new DatasetView(m_session, this))
    , m_exitDistribution(new ExitDistributionPlot(m_session, this))
    , m_thresholds(new ThresholdHistograms(m_session, this))
    , m_classMap(new ClassExitMap(m_session, this))
    , m_classAccuracy(new ClassAccuracyChart(m_session, this))
    , m_trainingPlot(new TrainingPlot(m_session, this))
    , m_inspector(new SampleInspector(m_session, this))
    , m_flow(new ExitFlowView(m_session, this))
    , m_gallery(new ExitGallery(m_session, this))
    , m_overthinking(new OverthinkingView(m_session, this))
    , m_calibrationView(new CalibrationView(m_session, this))
    , m_compare(new CompareView(m_session, this))
    , m_servingView(new ServingView(m_session, this))
    , m_modelRun(new ModelRunController(m_session, this))
    , m_modelRunView(new ModelRunView(m_session, this))
    , m_stage(new QTabWidget(this)) {
    setWindowTitle(tr("EENet Studio"));
    setAcceptDrops(true);
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    m_stage->setObjectName(QStringLiteral("stage"));
    m_stage->setDocumentMode(true);
    m_stage->addTab(m_curvesPlot, tr("Curves"));
    m_stage->addTab(m_flow, tr("Flow"));
    m_stage->addTab(m_gallery, tr("Gallery"));
    m_stage->addTab(m_overthinking, tr("Overthinking"));
    m_stage->addTab(m_calibrationView, tr("Calibration"));
    m_stage->addTab(m_servingView, tr("Serving"));
    m_stage->setTabToolTip(0, tr("Accuracy against realised cost, every method"));
    m_stage->setTabToolTip(1, tr("Samples flowing through the exits at the current budget"));
    m_stage->setTabToolTip(2, tr("The inputs each exit takes at the current budget"));
    m_stage->setTabToolTip(3,
                           tr("Samples an early exit gets right and the last exit wrong, and the reverse"));
    m_stage->setTabToolTip(m_stage->indexOf(m_servingView),
                           tr("What the policy costs per sample in batched serving, and what budgets bound"));
    m_stage->addTab(m_modelRunView, tr("Run on model"));
    m_stage->setTabToolTip(m_stage->indexOf(m_modelRunView),
                           tr("The policy run for real on the file's model, measured against simulated"));
    setCentralWidget(m_stage);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);

    auto* policyBar = addToolBar(tr("Policy"));
    policyBar->setObjectName(QStringLiteral("policyToolBar"));
    policyBar->addWidget(m_controls);
    // An item of its own, so a narrow window (or presentation mode's large font) moves it into the
    // toolbar's overflow menu instead of widening the window.
    policyBar->addWidget(m_controls->calibrateBox());
    auto* trainingBar = addToolBar(tr("Training"));
    trainingBar->setObjectName(QStringLiteral("trainingToolBar"));
    trainingBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    // The View menu lists docks and toolbars together: "Training" is the dock, this is its toolbar.
    trainingBar->toggleViewAction()->setText(tr("Training Toolbar"));
    policyBar->toggleViewAction()->setText(tr("Policy Toolbar"));
    trainingBar->addAction(m_trainingActions->trainAction());
    trainingBar->addAction(m_trainingActions->trainCurveAction());
    trainingBar->addAction(m_trainingActions->cancelAction());
    trainingBar->addSeparator();
    trainingBar->addAction(m_trainingActions->trainOnReleaseAction());
    // Train and Train curve are what a newcomer should press: framed like buttons, not flat text.
    for (QAction* action : {m_trainingActions->trainAction(), m_trainingActions->trainCurveAction(),
                            m_trainingActions->cancelAction()})
        if (auto* button = qobject_cast<QToolButton*>(trainingBar->widgetForAction(action)))
            button->setAutoRaise(false);

    addView(m_exitDistribution, tr("Exit distribution"), QStringLiteral("exitDistributionDock"),
            Qt::RightDockWidgetArea);
    addView(m_datasetView, tr("Dataset"), QStringLiteral("datasetDock"), Qt::BottomDockWidgetArea);
    addView(m_inspector, tr("Sample inspector"), QStringLiteral("inspectorDock"), Qt::RightDockWidgetArea);
    addView(m_thresholds, tr("Thresholds"), QStringLiteral("thresholdsDock"), Qt::BottomDockWidgetArea);
    // Where each class leaves, and beside it what that costs each class in accuracy.
    auto* perClass = new QSplitter(Qt::Horizontal, this);
    perClass->addWidget(new ClassExitMapPanel(m_classMap, this));
    perClass->addWidget(m_classAccuracy);
    // The map needs the width (a column per exit, its names and a colour scale); the chart a name per row.
    perClass->setStretchFactor(0, 3);
    perClass->setStretchFactor(1, 2);
    perClass->setSizes({600, 400});
    addView(perClass, tr("Per-class exits"), QStringLiteral("classMapDock"), Qt::BottomDockWidgetArea);
    addView(m_trainingPlot, tr("Training"), QStringLiteral("trainingDock"), Qt::BottomDockWidgetArea);
    addView(m_compare, tr("Compare"), QStringLiteral("compareDock"), Qt::BottomDockWidgetArea);
    arrangeDefaultLayout();

    m_statusLabel = new QLabel(tr("No file loaded: File ▸ Open (Ctrl+O), drop a predictions file or session "
                                  "here, or File ▸ Open Sample"),
                               this);
    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(new TrainingStatus(m_training, this));
    statusBar()->addPermanentWidget(new LoadProgress(m_loader, m_statusLabel, this));
    m_tour = new GuidedTour(this);
    // A lecture shows the centre's tabs, where samples leave and the budget slider.
    m_presentation = new PresentationMode(this, {dockOf(m_exitDistribution)});
    createMenus();
    connectStatusMessages();
    connectCalibrationSwitch(this, m_controls, m_session, m_calibration);
    connectServingSwitch(this, m_servingView, m_session, m_training);
    connectModelRun(this, m_session, m_modelRun, m_modelRunView);

    connect(m_loader, &LoadController::loadStarted, this, [this](const QString& path) {
        m_statusLabel->setText(tr("Loading %1 …").arg(QDir::toNativeSeparators(path)));
    });
    connect(m_loader, &LoadController::loaded, this,
            [this](const QString& path, std::shared_ptr<const Predictions> predictions) {
                m_session->setPredictions(std::move(predictions));
                onLoaded(path);
            });
    connect(m_loader, &LoadController::failed, this, &MainWindow::onLoadFailed);
    connect(m_recent, &RecentFiles::changed, this, &MainWindow::rebuildRecentMenu);
    connect(m_controls->budgetControl(), &BudgetControl::settled, m_trainingActions,
            &TrainingActions::onBudgetSettled);
    // A new scheduler or a new method should be seen: bring the views that show it forward.
    connect(m_training, &TrainingController::runningChanged, this, [this](bool running) {
        if (running)
            dockOf(m_trainingPlot)->raise();
    });
    restoreLayout();
}

MainWindow::~MainWindow() {
    // Join the training worker before the views and the session it reports to go away.
    m_training->stopAndWait();
    // Destroyed, not crashed: a recovery file is for what a crash leaves.
    m_recovery->discard();
}

QDockWidget* MainWindow::addView(QWidget* view, const QString& title, const QString& name,
                                 Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    dock->setWidget(view);
    addDockWidget(area, dock);
    m_docks[view] = dock;
    return dock;
}

QDockWidget* MainWindow::dockOf(QWidget* view) const {
    // A view may share its dock with others (the per-class map and chart): the dock of what holds it.
    for (QWidget* widget = view; widget; widget = widget->parentWidget()) {
        const auto found = m_docks.find(widget);
        if (found != m_docks.end())
            return found->second;
    }
    return nullptr;
}

void MainWindow::arrangeDefaultLayout() {
    // Right, full height: the exit distribution above the inspector, so a clicked bar or bin lists its
    // samples beside it. Below the curves: thresholds, per-class exits, training and the dataset as tabs.
    // Sized for a 1280x800 screen.
    for (auto& entry : m_docks) {
        entry.second->setFloating(false);
        entry.second->setVisible(true);
    }
    tabifyDockWidget(dockOf(m_thresholds), dockOf(m_classMap));
    tabifyDockWidget(dockOf(m_classMap), dockOf(m_trainingPlot));
    tabifyDockWidget(dockOf(m_trainingPlot), dockOf(m_compare));
    tabifyDockWidget(dockOf(m_compare), dockOf(m_datasetView));
    dockOf(m_exitDistribution)->raise();
    dockOf(m_thresholds)->raise();
    resizeDocks({dockOf(m_exitDistribution)}, {540}, Qt::Horizontal);
    resizeDocks({dockOf(m_exitDistribution), dockOf(m_inspector)}, {380, 300}, Qt::Vertical);
    resizeDocks({dockOf(m_thresholds)}, {340}, Qt::Vertical);
}

void MainWindow::setTheme(Theme theme) {
    m_theme = theme;
    applyTheme(theme);
    QSettings().setValue(kThemeKey, themeName(theme));
    for (QAction* action : m_viewMenu->findChildren<QAction*>())
        if (action->isCheckable() && action->data().toString() == themeName(theme))
            action->setChecked(true);
}

void MainWindow::connectStatusMessages() {
    connect(m_curves, &CurveController::computed, this, [this](double seconds) {
        statusBar()->showMessage(tr("Policy curves computed in %1 s (%2 budgets)")
                                     .arg(seconds, 0, 'f', 2)
                                     .arg(CurveController::kBudgetCount),
                                 5000);
    });
    connect(m_curves, &CurveController::failed, this,
            [this](const QString& message) { showError(tr("Policy curves failed"), message); });
    connect(m_policy, &PolicyController::failed, this,
            [this](const QString& message) { showError(tr("Cannot evaluate the policy"), message); });
    // The view says the calibration is missing; a dialog would interrupt every file it cannot measure.
    connect(m_calibration, &CalibrationController::failed, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Calibration not measured: %1").arg(message), 10000);
    });
    connect(m_training, &TrainingController::trained, this, [this](double budget, double seconds) {
        statusBar()->showMessage(
            tr("EENet trained at budget %1 in %2 s").arg(budget, 0, 'g', 5).arg(seconds, 0, 'f', 2), 5000);
    });
    connect(m_training, &TrainingController::cancelled, this,
            [this] { statusBar()->showMessage(tr("Training cancelled; trained schedulers kept"), 5000); });
    connect(m_training, &TrainingController::failed, this,
            [this](const QString& message) { showError(tr("EENet training failed"), message); });
    connect(m_exporter, &SchedulerExporter::exported, this,
            [this](const QString& path, const QString& summary) {
                const QString text = tr("Saved %1: %2").arg(QDir::toNativeSeparators(path), summary);
                statusBar()->showMessage(text, 10000);
                auto* box = new QMessageBox(QMessageBox::Information, tr("Scheduler exported"), text,
                                            QMessageBox::Ok, this);
                box->setObjectName(QStringLiteral("exportBox"));
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
            });
    connect(m_sessions, &SessionController::saved, this, [this](const QString& path) {
        statusBar()->showMessage(tr("Session saved to %1").arg(QDir::toNativeSeparators(path)), 5000);
    });
    connect(m_sessions, &SessionController::restored, this,
            [this](const QString& path, const QString& warning) {
                statusBar()->showMessage(tr("Session %1 restored").arg(QFileInfo(path).fileName()), 5000);
                if (!warning.isEmpty())
                    showError(tr("The input changed"), warning);
            });
    connect(m_sessions, &SessionController::inputMissing, this,
            [this](const QString& session, const QString& input, const QString& message) {
                askToLocateInput(
                    this, session, input, message,
                    [this](const QString& path) { m_sessions->locateInput(path); },
                    [this] { m_sessions->abandonRestore(); });
            });
    connect(m_sessions, &SessionController::failed, this,
            [this](const QString& path, const QString& message) {
                showError(tr("Session %1").arg(QFileInfo(path).fileName()), message);
            });
    connect(m_exporter, &SchedulerExporter::failed, this,
            [this](const QString& path, const QString& message) {
                statusBar()->clearMessage();
                showError(tr("Cannot export %1").arg(QFileInfo(path).fileName()), message);
            });
}

void MainWindow::exportScheduler(const QString& path) {
    statusBar()->showMessage(tr("Exporting %1 …").arg(QDir::toNativeSeparators(path)));
    m_exporter->exportTo(path, m_training->options());
}

void MainWindow::openFile(const QString& path) {
    if (isSessionFile(path))
        m_sessions->open(path);
    else
        m_loader->load(path);
}

void MainWindow::requestOpen(const QString& path) {
    m_unsaved->askThen(tr("opening %1").arg(QFileInfo(path).fileName()), [this, path] { openFile(path); });
}

void MainWindow::onLoaded(const QString& path) {
    m_recent->add(path);
    const DatasetSummary& s = m_session->summary();
    setWindowTitle(tr("%1 — EENet Studio").arg(QFileInfo(path).fileName()));
    m_statusLabel->setText(tr("Loaded %1: %2 exits, %3 classes, %4 validation and %5 test samples. Drag the "
                              "budget, or choose EENet and press Train (F1: getting started)")
                               .arg(QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath()))
                               .arg(s.numExits)
                               .arg(s.numClasses)
                               .arg(s.numVal)
                               .arg(s.numTest));
}

void MainWindow::onLoadFailed(const QString& path, const QString& message) {
    if (m_sessions->isRestoring())
        return; // a session's input: the session's own message (with Locate…) says it once
    m_statusLabel->setText(
        m_session->hasPredictions()
            ? tr("Could not open %1; the previous file stays loaded").arg(QFileInfo(path).fileName())
            : tr("Could not open %1").arg(QFileInfo(path).fileName()));
    // One dialog, whole sentences: what failed, the reader's reason (it names the file and dataset), and
    // what the window shows now.
    QString text = tr("The predictions file could not be opened.") + QStringLiteral("\n\n") + message;
    if (!message.endsWith(QLatin1Char('.')))
        text += QLatin1Char('.');
    if (m_session->hasPredictions())
        text += QStringLiteral("\n\n") + tr("The file opened before stays loaded.");
    showError(tr("Cannot open predictions file"), text);
}

void MainWindow::showError(const QString& title, const QString& message) {
    // Window-modal and non-blocking, so the event loop (and the tests) go on while it shows.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::restoreLayout() {
    const QSettings settings;
    const QString theme = settings.value(kThemeKey, themeName(Theme::System)).toString();
    for (Theme candidate : {Theme::System, Theme::Light, Theme::Dark})
        if (themeName(candidate) == theme)
            setTheme(candidate);
    m_stage->setCurrentIndex(settings.value(kStageTabKey, 0).toInt());
    if (!restoreGeometry(settings.value(kGeometryKey).toByteArray()))
        resize(1280, 800);
    if (!restoreState(settings.value(kStateKey).toByteArray(), kLayoutVersion))
        // Dock sizes only take once the window has its size: after the first show.
        QTimer::singleShot(0, this, &MainWindow::arrangeDefaultLayout);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!m_closeConfirmed && m_unsaved->isModified()) {
        event->ignore();
        m_unsaved->askThen(tr("quitting"), [this] {
            m_closeConfirmed = true;
            close();
        });
        return;
    }
    m_training->stopAndWait();
    m_recovery->discard(); // a normal close: what was not saved was discarded on purpose
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState(kLayoutVersion));
    settings.setValue(kStageTabKey, m_stage->currentIndex());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && isOpenableFile(urls.front()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && isOpenableFile(urls.front())) {
        requestOpen(urls.front().toLocalFile());
        event->acceptProposedAction();
    }
}

} // namespace eenet
