#include "PolicyControls.h"

#include "BudgetControl.h"
#include "session/Session.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStandardItemModel>

namespace eenet {

PolicyControls::PolicyControls(Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_budget(new BudgetControl(session, this))
    , m_method(new QComboBox(this))
    , m_customCost(new QLabel(this))
    , m_snap(new QPushButton(tr("Snap to &budget"), this))
    , m_split(new QComboBox(this))
    , m_calibrate(new QCheckBox(tr("&Calibrate exits"), this)) {
    for (const Method& method : snapshotMethods())
        m_method->addItem(QString::fromStdString(method.name()));
    // Listed so that the box can show it and the list teaches where it comes from, but not chosen from the
    // list: custom thresholds are whatever the user drags or types in the threshold view.
    const QString custom = QString::fromStdString(Method{Method::Kind::Custom}.name());
    m_method->addItem(custom);
    const int customIndex = m_method->count() - 1;
    if (auto* model = qobject_cast<QStandardItemModel*>(m_method->model()))
        model->item(customIndex)->setEnabled(false);
    m_method->setItemData(customIndex,
                          tr("Thresholds set by hand: drag a threshold line in the Thresholds view, or "
                             "double-click it to type a value"),
                          Qt::ToolTipRole);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_method->setToolTip(
        tr("The policy the exit distribution, thresholds, per-class map and inspector show"));
    m_split->addItem(tr("test"), static_cast<int>(Split::Test));
    m_split->addItem(tr("validation"), static_cast<int>(Split::Val));
    m_split->setToolTip(
        tr("The split the curves, thresholds, per-class map show (policies are always fitted on "
           "validation)"));

    m_calibrate->setToolTip(tr(
        "Scale each exit's probabilities by a temperature fitted on validation (see the Calibration "
        "tab), then fit and show every policy, curve and EENet scheduler on them; an exported scheduler "
        "carries the temperatures. The curves then also show the uncalibrated curve of the chosen method."));
    connect(m_calibrate, &QCheckBox::clicked, this, &PolicyControls::calibrationRequested);
    connect(m_session, &Session::calibrationChanged, this, &PolicyControls::showCalibration);
    connect(m_session, &Session::probabilitiesChanged, this, &PolicyControls::showCalibration);

    connect(m_method, &QComboBox::currentTextChanged, this, [this](const QString& name) {
        if (const auto method = Method::parse(name.toStdString()))
            m_session->setMethod(*method);
        else
            showSessionState(); // "custom" set from code: the box shows what the session shows
    });
    connect(m_split, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_session->setSplit(static_cast<Split>(m_split->itemData(index).toInt())); });
    connect(m_snap, &QPushButton::clicked, m_session, &Session::snapToBudget);
    connect(m_session, &Session::methodChanged, this, &PolicyControls::showSessionState);
    connect(m_session, &Session::splitChanged, this, &PolicyControls::showSessionState);
    connect(m_session, &Session::predictionsLoaded, this, &PolicyControls::showSessionState);
    connect(m_session, &Session::snapshotChanged, this, &PolicyControls::showCustomCost);

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
    layout->addWidget(m_customCost);
    layout->addWidget(m_snap);
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
    const auto& custom = m_session->customPolicy();
    m_snap->setEnabled(custom.has_value());
    m_snap->setToolTip(custom ? tr("Return to %1's thresholds fitted at the budget (moving the slider or "
                                   "choosing a method does too)")
                                    .arg(QString::fromStdString(custom->base.name()))
                              : tr("Returns to the fitted thresholds once a threshold was set by hand"));
    showCustomCost();
    showCalibration();
    setEnabled(m_session->hasPredictions());
}

void PolicyControls::showCalibration() {
    m_calibrate->setEnabled(m_session->calibration() != nullptr);
    m_calibrate->setChecked(m_session->calibrated());
}

void PolicyControls::showCustomCost() {
    const auto& snapshot = m_session->snapshot();
    const bool shown = m_session->customPolicy() && snapshot && snapshot->available && snapshot->isCustom();
    m_customCost->setVisible(shown);
    if (!shown)
        return;
    // The budget does not set custom thresholds: what they cost on the split they would be fitted on.
    const double cost = snapshot->splits.front().outcome.cost;
    m_customCost->setText(tr("val cost %1 %2 (%3 %)")
                              .arg(cost, 0, 'g', 4)
                              .arg(QString::fromStdString(m_session->budgetUnit()))
                              .arg(100.0 * cost / m_session->maxBudget(), 0, 'f', 1));
    m_customCost->setToolTip(
        tr("Realised average cost of the thresholds set by hand on the validation split, "
           "and its share of the full cost. The slider keeps the budget that Snap to "
           "budget returns to."));
}

} // namespace eenet
