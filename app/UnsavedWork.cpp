#include "UnsavedWork.h"

#include "FileDialogs.h"
#include "SessionController.h"
#include "SessionRecovery.h"
#include "eval/TrainedScheduler.h"
#include "session/Session.h"

#include <QMessageBox>
#include <QPushButton>

#include <memory>

namespace eenet {

bool UnsavedWork::State::operator==(const State& other) const {
    return budget == other.budget && method == other.method && split == other.split &&
           schedulerBudgets == other.schedulerBudgets && customThresholds == other.customThresholds &&
           costModel == other.costModel && serving == other.serving && guarantee == other.guarantee &&
           calibrated == other.calibrated && modelPath == other.modelPath;
}

UnsavedWork::UnsavedWork(Session* session, SessionController* sessions, QWidget* window)
    : QObject(window)
    , m_session(session)
    , m_sessions(sessions)
    , m_window(window) {
    // Loading resets budget, schedulers and selection before predictionsLoaded: the state then is the
    // baseline.
    connect(session, &Session::predictionsLoaded, this, [this] {
        markSaved();
        m_sessionPath.clear();
    });
    connect(sessions, &SessionController::saved, this, [this](const QString& path) {
        markSaved();
        m_sessionPath = path;
    });
    connect(sessions, &SessionController::restored, this, [this](const QString& path) {
        if (SessionRecovery::isRecoveryFile(path))
            return; // work recovered after a crash is still unsaved
        markSaved();
        m_sessionPath = path;
    });
}

UnsavedWork::State UnsavedWork::current() const {
    State state;
    state.budget = m_session->budget();
    state.method = m_session->method().name();
    state.split = m_session->split();
    for (const auto& scheduler : m_session->schedulers())
        state.schedulerBudgets.push_back(scheduler->budget);
    if (const auto& custom = m_session->customPolicy())
        state.customThresholds = custom->thresholds;
    if (m_session->hasPredictions())
        state.costModel = m_session->predictions()->costModel;
    state.serving = m_session->budgetRule().serving;
    state.guarantee = m_session->budgetRule().guarantee;
    state.calibrated = m_session->calibrated();
    state.modelPath = m_session->modelPath();
    return state;
}

void UnsavedWork::markSaved() {
    m_saved = current();
}

bool UnsavedWork::isModified() const {
    return m_session->hasPredictions() && !(current() == m_saved);
}

QString UnsavedWork::describeChanges() const {
    const State now = current();
    const auto trained = static_cast<int>(now.schedulerBudgets.size());
    if (trained > 0 && now.schedulerBudgets != m_saved.schedulerBudgets)
        return tr("%n trained EENet scheduler(s) and the budget, method and split shown are not saved.", "",
                  trained);
    if (now.modelPath != m_saved.modelPath)
        return tr("The attached model and the budget, method and split shown are not saved.");
    return tr("The budget, method and split shown are not saved.");
}

void UnsavedWork::askThen(const QString& action, std::function<void()> proceed) {
    if (!isModified()) {
        proceed();
        return;
    }
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Unsaved session"),
                                tr("Save the session before %1?").arg(action),
                                QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, m_window);
    box->setObjectName(QStringLiteral("unsavedWorkBox"));
    box->setInformativeText(describeChanges() + QLatin1Char(' ') +
                            tr("A saved session reopens them without retraining."));
    box->setDefaultButton(QMessageBox::Save);
    box->setAttribute(Qt::WA_DeleteOnClose);
    // Window-modal and asynchronous: the event loop (and a running training) goes on while it is open.
    connect(box, &QMessageBox::finished, this, [this, box, proceed = std::move(proceed)](int) {
        const QMessageBox::StandardButton choice = box->standardButton(box->clickedButton());
        if (choice == QMessageBox::Discard)
            proceed();
        else if (choice == QMessageBox::Save)
            save(proceed);
    });
    box->open();
}

void UnsavedWork::save(std::function<void()> proceed) {
    const QString path = m_sessionPath.isEmpty() ? askSessionToSave(m_window) : m_sessionPath;
    if (path.isEmpty())
        return;
    // Proceed only once this save is written; a failure is reported by the window and keeps everything.
    auto connections = std::make_shared<std::vector<QMetaObject::Connection>>();
    const auto disconnectAll = [connections] {
        for (const auto& connection : *connections)
            QObject::disconnect(connection);
    };
    connections->push_back(connect(m_sessions, &SessionController::saved, this, [disconnectAll, proceed] {
        disconnectAll();
        proceed();
    }));
    connections->push_back(
        connect(m_sessions, &SessionController::failed, this, [disconnectAll] { disconnectAll(); }));
    m_sessions->save(path);
}

} // namespace eenet
