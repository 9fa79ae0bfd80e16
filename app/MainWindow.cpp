#include "MainWindow.h"

#include "CurveController.h"
#include "DatasetView.h"
#include "LoadController.h"
#include "PoliciesView.h"
#include "RecentFiles.h"
#include "session/Session.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

namespace eenet {
namespace {

bool isPredictionsFile(const QUrl& url) {
    const QString suffix = QFileInfo(url.toLocalFile()).suffix().toLower();
    return url.isLocalFile() && (suffix == QLatin1String("h5") || suffix == QLatin1String("hdf5"));
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_session(new Session(this))
    , m_loader(new LoadController(this))
    , m_recent(new RecentFiles(this))
    , m_curves(new CurveController(m_session, this))
    , m_datasetView(new DatasetView(m_session, this))
    , m_policiesView(new PoliciesView(m_session, this)) {
    setWindowTitle(tr("EENet Studio"));
    setAcceptDrops(true);
    auto* tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("mainTabs"));
    tabs->addTab(m_policiesView, tr("&Policies"));
    tabs->addTab(m_datasetView, tr("&Dataset"));
    setCentralWidget(tabs);
    m_statusLabel = new QLabel(tr("No file loaded"), this);
    statusBar()->addWidget(m_statusLabel, 1);
    createMenus();

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
    connect(m_curves, &CurveController::computed, this, [this](double seconds) {
        statusBar()->showMessage(tr("Policy curves computed in %1 s (%2 budgets)")
                                     .arg(seconds, 0, 'f', 2)
                                     .arg(CurveController::kBudgetCount),
                                 5000);
    });
    connect(m_curves, &CurveController::failed, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Policy curves failed: %1").arg(message));
    });
    restoreLayout();
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::showOpenDialog);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addAction(tr("Open &Sample"), this, [this] { openFile(QStringLiteral(EENET_DEFAULT_SAMPLE)); });
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About EENet Studio"), this, [this] {
        QMessageBox::about(this, tr("About EENet Studio"),
                           tr("<b>EENet Studio %1</b><br>Analysis of early-exit neural networks: exit "
                              "policies under an average cost budget (EENet, Ilhan et al., WACV 2024).")
                               .arg(QStringLiteral(EENET_VERSION)));
    });
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QStringList files = m_recent->files();
    for (int i = 0; i < files.size(); ++i) {
        const QString path = files[i];
        QAction* action =
            m_recentMenu->addAction(QStringLiteral("&%1  %2").arg(i + 1).arg(QDir::toNativeSeparators(path)),
                                    this, [this, path] { openFile(path); });
        action->setToolTip(path);
    }
    if (!files.isEmpty())
        m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("Clear List"), m_recent, &RecentFiles::clear);
    clear->setEnabled(!files.isEmpty());
}

void MainWindow::showOpenDialog() {
    const QString start =
        m_recent->files().isEmpty() ? QDir::homePath() : QFileInfo(m_recent->files().front()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open predictions file"), start,
                                                      tr("Predictions (*.h5 *.hdf5);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::openFile(const QString& path) {
    m_loader->load(path);
}

void MainWindow::onLoaded(const QString& path) {
    m_recent->add(path);
    const DatasetSummary& s = m_session->summary();
    setWindowTitle(tr("%1 — EENet Studio").arg(QFileInfo(path).fileName()));
    m_statusLabel->setText(tr("Loaded %1: %2 exits, %3 classes, %4 validation and %5 test samples")
                               .arg(QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath()))
                               .arg(s.numExits)
                               .arg(s.numClasses)
                               .arg(s.numVal)
                               .arg(s.numTest));
}

void MainWindow::onLoadFailed(const QString& path, const QString& message) {
    m_statusLabel->setText(
        m_session->hasPredictions()
            ? tr("Could not open %1; the previous file stays loaded").arg(QFileInfo(path).fileName())
            : tr("Could not open %1").arg(QFileInfo(path).fileName()));
    // Window-modal and non-blocking, so the event loop (and the tests) go on while it shows.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open predictions file"), message,
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("loadErrorBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::restoreLayout() {
    const QSettings settings;
    if (!restoreGeometry(settings.value("mainWindow/geometry").toByteArray()))
        resize(1200, 760);
    restoreState(settings.value("mainWindow/state").toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue("mainWindow/geometry", saveGeometry());
    settings.setValue("mainWindow/state", saveState());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && isPredictionsFile(urls.front()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && isPredictionsFile(urls.front())) {
        openFile(urls.front().toLocalFile());
        event->acceptProposedAction();
    }
}

} // namespace eenet
