#include "ModelRunWiring.h"

#include "ModelRunController.h"
#include "ModelRunView.h"
#include "session/Session.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMessageBox>
#include <QStatusBar>

#include <memory>

namespace eenet {
namespace {

void showModelError(QMainWindow* window, const QString& title, const QString& message) {
    // Window-modal and non-blocking, as the window's other errors: the event loop (and the tests) go on.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, window);
    box->setObjectName(QStringLiteral("errorBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace

void attachModelInteractively(QMainWindow* window, Session* session, ModelRunController* controller,
                              const QString& suggested) {
    QString path = suggested;
    if (path.isEmpty()) {
        const QString start =
            session->hasPredictions()
                ? QFileInfo(QString::fromStdString(session->modelPredictions()->sourcePath)).absolutePath()
                : QDir::homePath();
        path = QFileDialog::getOpenFileName(window, QObject::tr("Attach the file's multi-exit model"), start,
                                            QObject::tr("TorchScript model (*.pt *.pth);;All files (*)"));
    }
    if (path.isEmpty())
        return;
    window->statusBar()->showMessage(
        QObject::tr("Checking %1 against the predictions file …").arg(QDir::toNativeSeparators(path)));
    controller->attachModel(QFileInfo(path).absoluteFilePath());
}

void connectModelRun(QMainWindow* window, Session* session, ModelRunController* controller,
                     ModelRunView* view) {
    auto clock = std::make_shared<QElapsedTimer>();
    QObject::connect(view, &ModelRunView::runRequested, controller,
                     [controller, clock](const std::vector<ServingMode>& modes, int sampleCount) {
                         clock->start();
                         controller->run(modes, sampleCount);
                     });
    QObject::connect(view, &ModelRunView::cancelRequested, controller, &ModelRunController::cancel);
    QObject::connect(view, &ModelRunView::attachRequested, window, [=](const QString& suggested) {
        attachModelInteractively(window, session, controller, suggested);
    });
    QObject::connect(controller, &ModelRunController::runningChanged, view, &ModelRunView::setRunning);
    QObject::connect(controller, &ModelRunController::progressed, view,
                     [window, view](double fraction, const QString& text) {
                         view->setProgress(fraction, text);
                         window->statusBar()->showMessage(
                             QObject::tr("Run on model: %1, %2 %").arg(text).arg(qRound(100 * fraction)));
                     });
    QObject::connect(controller, &ModelRunController::finished, view, [=] {
        view->showRun(controller->result());
        view->setModelCheck(controller->checkSummary());
        window->statusBar()->showMessage(
            QObject::tr("Run on model: done in %1 s").arg(clock->elapsed() / 1000.0, 0, 'f', 1), 8000);
    });
    QObject::connect(controller, &ModelRunController::cancelled, window, [window] {
        window->statusBar()->showMessage(QObject::tr("Run on model cancelled; the figures shown before stay"),
                                         8000);
    });
    QObject::connect(controller, &ModelRunController::failed, window, [window](const QString& message) {
        window->statusBar()->clearMessage();
        showModelError(window, QObject::tr("Cannot run the model"), message);
    });
    QObject::connect(controller, &ModelRunController::modelAttached, view,
                     [window, view](const QString& path, const QString& summary) {
                         view->setModelCheck(summary);
                         window->statusBar()->showMessage(
                             QObject::tr("Attached %1: %2").arg(QFileInfo(path).fileName(), summary), 8000);
                     });
    QObject::connect(
        controller, &ModelRunController::modelRejected, window,
        [window](const QString& path, const QString& message) {
            window->statusBar()->clearMessage();
            showModelError(
                window, QObject::tr("Cannot attach %1").arg(QFileInfo(path).fileName()),
                QObject::tr("%1 was not attached.\n\n%2").arg(QDir::toNativeSeparators(path), message));
        });
}

} // namespace eenet
