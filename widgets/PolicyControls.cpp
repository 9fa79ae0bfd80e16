#include "PolicyControls.h"

#include "BudgetControl.h"
#include "session/Session.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>

namespace eenet {

PolicyControls::PolicyControls(Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_budget(new BudgetControl(session, this))
    , m_method(new QComboBox(this))
    , m_split(new QComboBox(this)) {
    for (const Method& method : snapshotMethods())
        m_method->addItem(QString::fromStdString(method.name()));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_method->setToolTip(
        tr("The policy the exit distribution, thresholds, per-class map and inspector show"));
    m_split->addItem(tr("test"), static_cast<int>(Split::Test));
    m_split->addItem(tr("validation"), static_cast<int>(Split::Val));
    m_split->setToolTip(
        tr("The split the curves, thresholds, per-class map show (policies are always fitted on "
           "validation)"));

    connect(m_method, &QComboBox::currentTextChanged, this, [this](const QString& name) {
        if (const auto method = Method::parse(name.toStdString()))
            m_session->setMethod(*method);
    });
    connect(m_split, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_session->setSplit(static_cast<Split>(m_split->itemData(index).toInt())); });
    connect(m_session, &Session::methodChanged, this, &PolicyControls::showSessionState);
    connect(m_session, &Session::splitChanged, this, &PolicyControls::showSessionState);
    connect(m_session, &Session::predictionsLoaded, this, &PolicyControls::showSessionState);

    // Mnemonics focus the boxes (Alt+M, Alt+P).
    auto* methodLabel = new QLabel(tr("&Method:"), this);
    methodLabel->setBuddy(m_method);
    auto* splitLabel = new QLabel(tr("S&plit:"), this);
    splitLabel->setBuddy(m_split);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(m_budget, 1);
    layout->addSpacing(12);
    layout->addWidget(methodLabel);
    layout->addWidget(m_method);
    layout->addSpacing(12);
    layout->addWidget(splitLabel);
    layout->addWidget(m_split);
    showSessionState();
}

void PolicyControls::showSessionState() {
    const QSignalBlocker methodBlocker(m_method);
    const QSignalBlocker splitBlocker(m_split);
    m_method->setCurrentText(QString::fromStdString(m_session->method().name()));
    m_split->setCurrentIndex(m_split->findData(static_cast<int>(m_session->split())));
    // Without a test split there is nothing to choose.
    m_split->setEnabled(m_session->hasTest());
    setEnabled(m_session->hasPredictions());
}

} // namespace eenet
