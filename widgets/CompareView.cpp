#include "CompareView.h"
#include "ComparePlot.h"
#include "DeferredRefresh.h"
#include "SplitText.h"

#include "session/Session.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace eenet {

CompareView::CompareView(Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_methodA(new QComboBox(this))
    , m_methodB(new QComboBox(this))
    , m_verdict(new QLabel(this))
    , m_plot(new ComparePlot(this)) {
    m_verdict->setTextFormat(Qt::PlainText);
    m_verdict->setWordWrap(true);
    QFont bold = m_verdict->font();
    bold.setBold(true);
    m_verdict->setFont(bold);
    auto* key =
        new QLabel(tr("Dots: A − B at each of A's budgets, B read at A's realised cost; bars: ± 2 standard "
                      "errors; shaded: the mean over budgets ± 2 SE. A bar across zero is no difference."),
                   this);
    key->setWordWrap(true);
    QPalette muted = key->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    key->setPalette(muted);
    auto* choices = new QHBoxLayout;
    choices->addWidget(new QLabel(tr("A:"), this));
    choices->addWidget(m_methodA, 1);
    choices->addWidget(new QLabel(tr("minus B:"), this));
    choices->addWidget(m_methodB, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(2);
    layout->addLayout(choices);
    layout->addWidget(m_verdict);
    layout->addWidget(key);
    layout->addWidget(m_plot, 1);
    auto* refresh = new DeferredRefresh(this);
    const auto refill = [this, refresh] {
        refresh->request([this] {
            fillMethods();
            compare();
        });
    };
    connect(m_session, &Session::curvesChanged, this, refill);
    connect(m_session, &Session::schedulersChanged, this, refill);
    connect(m_session, &Session::splitChanged, this, refill);
    connect(m_methodA, &QComboBox::currentTextChanged, this, &CompareView::compare);
    connect(m_methodB, &QComboBox::currentTextChanged, this, &CompareView::compare);
    fillMethods();
    compare();
}

QString CompareView::verdictText() const {
    return m_verdict->text();
}

void CompareView::fillMethods() {
    // The methods with a curve: EENet once a curve of schedulers is trained, then the heuristics, the -opt
    // searches and the oracle. Each exit alone is a point, not a curve.
    QStringList methods;
    for (const auto* list : {&m_session->schedulerCurves(), &m_session->curves()})
        for (const Curve& curve : *list)
            if (m_session->curveResults(curve.method, m_session->split()))
                methods << QString::fromStdString(curve.method);
    const QString a = m_methodA->currentText();
    const QString b = m_methodB->currentText();
    for (QComboBox* box : {m_methodA, m_methodB}) {
        const QSignalBlocker quiet(box);
        box->clear();
        box->addItems(methods);
    }
    // Keep the user's choice; else A the method shown (or EENet's curve) and B max score, the paper's
    // baseline.
    const QString shown = QString::fromStdString(m_session->method().name());
    m_methodA->setCurrentText(methods.contains(a)                             ? a
                              : methods.contains(shown) && shown != "maxprob" ? shown
                                                                              : methods.value(0));
    m_methodB->setCurrentText(methods.contains(b) ? b : QStringLiteral("maxprob"));
}

void CompareView::compare() {
    m_comparison.reset();
    const std::string a = m_methodA->currentText().toStdString();
    const std::string b = m_methodB->currentText().toStdString();
    const auto* resultsA = m_session->curveResults(a, m_session->split());
    const auto* resultsB = m_session->curveResults(b, m_session->split());
    QString message;
    if (!m_session->hasPredictions())
        message = tr("Open a predictions file to compare two methods at equal realised cost");
    else if (!resultsA || !resultsB)
        message = tr("Computing the curves…");
    else if (a == b)
        message = tr("Choose two different methods");
    if (message.isEmpty()) {
        const auto& predictions = m_session->predictions();
        const Split split = m_session->split();
        if (!m_data || m_dataOf.lock() != predictions || m_dataSplit != split) {
            const SplitPredictions& data = split == Split::Test ? *predictions->test : predictions->val;
            m_data = std::make_shared<const ExitData>(makeExitData(*predictions, data));
            m_dataOf = predictions;
            m_dataSplit = split;
        }
        try {
            m_comparison = comparePaired(*resultsA, *resultsB, *m_data);
        } catch (const std::exception& e) {
            message = QString::fromUtf8(e.what());
        }
    }
    if (m_comparison)
        m_verdict->setText(
            tr("%1 (%2, %3 budgets at equal realised cost, SE paired over %4 samples)")
                .arg(QString::fromStdString(m_comparison->verdict), splitText(m_session->split()))
                .arg(m_comparison->perBudget.size())
                .arg(m_comparison->numSamples));
    else
        m_verdict->clear();
    m_plot->show(m_comparison ? &*m_comparison : nullptr,
                 m_session->predictions() ? QString::fromStdString(m_session->predictions()->costUnit)
                                          : QString(),
                 message);
}

} // namespace eenet
