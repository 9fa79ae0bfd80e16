#include "PoliciesView.h"

#include "BudgetControl.h"
#include "PolicyCurvesPlot.h"
#include "session/Session.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace eenet {

PoliciesView::PoliciesView(Session* session, QWidget* parent)
    : QWidget(parent)
    , m_budget(new BudgetControl(session, this))
    , m_curves(new PolicyCurvesPlot(session, this))
    , m_split(new QComboBox(this)) {
    m_split->addItem(tr("test split"), static_cast<int>(Split::Test));
    m_split->addItem(tr("validation split"), static_cast<int>(Split::Val));
    connect(m_split, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_curves->setSplit(static_cast<Split>(m_split->itemData(index).toInt())); });

    auto* top = new QHBoxLayout;
    top->addWidget(m_budget, 1);
    top->addWidget(new QLabel(tr("Show:"), this));
    top->addWidget(m_split);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_curves, 1);
}

} // namespace eenet
