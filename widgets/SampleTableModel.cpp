#include "SampleTableModel.h"
#include "ChartPalette.h"

#include <cmath>

namespace eenet {
namespace {

QString number(double value) {
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("∞") : QStringLiteral("−∞");
    return QString::number(value, 'f', 4);
}

const SplitPredictions* splitOf(const Predictions& predictions, Split split) {
    if (split == Split::Val)
        return &predictions.val;
    return predictions.test ? &*predictions.test : nullptr;
}

} // namespace

SampleTableModel::SampleTableModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void SampleTableModel::setSelection(std::shared_ptr<const Predictions> predictions,
                                    const SampleSelection& selection) {
    beginResetModel();
    m_predictions = std::move(predictions);
    m_split = selection.split;
    m_samples.clear();
    m_predicted.clear();
    const SplitPredictions* split = m_predictions ? splitOf(*m_predictions, m_split) : nullptr;
    if (split) {
        const int exits = m_predictions->numExits;
        for (int sample : selection.indices)
            if (sample >= 0 && sample < split->numSamples)
                m_samples.push_back(sample);
        m_predicted.reserve(m_samples.size() * static_cast<size_t>(exits));
        for (int sample : m_samples)
            for (int k = 0; k < exits; ++k)
                m_predicted.push_back(predictedClass(*split, m_predictions->numClasses, k, sample));
    }
    attachPolicy();
    endResetModel();
}

void SampleTableModel::setSnapshot(std::shared_ptr<const PolicySnapshot> snapshot) {
    m_snapshot = std::move(snapshot);
    attachPolicy();
    if (!m_samples.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    if (columnCount() > 0)
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
}

void SampleTableModel::attachPolicy() {
    m_policy = nullptr;
    const SplitPredictions* split = m_predictions ? splitOf(*m_predictions, m_split) : nullptr;
    if (m_snapshot && m_snapshot->available && split) {
        const SplitPolicy* policy = m_snapshot->split(m_split);
        // A snapshot made for another file (still in flight when a new one loaded) does not describe these
        // rows, nor does one whose thresholds do not cover the exits its scores rank.
        const bool rulesComplete = !policy || !policy->scores ||
                                   m_snapshot->thresholds.size() + 1 >= static_cast<size_t>(numExits());
        if (policy && rulesComplete && policy->data->numSamples == split->numSamples &&
            policy->data->numExits == m_predictions->numExits)
            m_policy = policy;
    }
    m_why.assign(m_samples.size(), QString());
}

int SampleTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_samples.size());
}

int SampleTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_predictions ? 0 : FirstExitColumn + 2 * numExits();
}

int SampleTableModel::labelAt(int row) const {
    return splitOf(*m_predictions, m_split)->labels[static_cast<size_t>(sampleAt(row))];
}

QString SampleTableModel::className(int label) const {
    return QString::fromStdString(m_predictions->classNames[static_cast<size_t>(label)]);
}

int SampleTableModel::exitTaken(int row) const {
    return m_policy ? m_policy->outcome.exitOf[static_cast<size_t>(sampleAt(row))] : -1;
}

std::vector<int> SampleTableModel::exitsTaken() const {
    if (!m_policy)
        return {};
    std::vector<bool> taken(static_cast<size_t>(numExits()), false);
    for (int sample : m_samples)
        taken[static_cast<size_t>(m_policy->outcome.exitOf[static_cast<size_t>(sample)])] = true;
    std::vector<int> exits;
    for (int k = 0; k < numExits(); ++k)
        if (taken[static_cast<size_t>(k)])
            exits.push_back(k);
    return exits;
}

QString SampleTableModel::why(int row) const {
    QString& cached = m_why[static_cast<size_t>(row)];
    if (cached.isNull()) {
        if (!m_policy)
            cached = QStringLiteral("—");
        else
            cached = m_policy->scores ? thresholdRuleWhy(row) : oracleWhy(row);
    }
    return cached;
}

QString SampleTableModel::thresholdRuleWhy(int row) const {
    const ScoreMatrix& scores = *m_policy->scores;
    const std::vector<double>& thresholds = m_snapshot->thresholds;
    const int sample = sampleAt(row);
    const int last = numExits() - 1;
    // The rule again, from the scores and thresholds, rather than echoing exitOf: the two must agree.
    int rule = last;
    for (int k = 0; k < last; ++k)
        if (scores(k, sample) >= thresholds[static_cast<size_t>(k)]) {
            rule = k;
            break;
        }
    if (rule != exitTaken(row))
        return tr("⚠ the threshold rule gives exit %1, the policy recorded exit %2")
            .arg(rule + 1)
            .arg(exitTaken(row) + 1);
    if (rule < last)
        return tr("exit %1: score %2 ≥ T_%1 %3")
            .arg(rule + 1)
            .arg(number(scores(rule, sample)), number(thresholds[static_cast<size_t>(rule)]));
    if (last == 0)
        return tr("the only exit");
    QStringList missed;
    for (int k = 0; k < last; ++k)
        missed << tr("exit %1: %2 < %3")
                      .arg(k + 1)
                      .arg(number(scores(k, sample)), number(thresholds[static_cast<size_t>(k)]));
    return tr("no earlier score reached its threshold (%1)").arg(missed.join(QStringLiteral(", ")));
}

QString SampleTableModel::oracleWhy(int row) const {
    const int taken = exitTaken(row);
    const int label = labelAt(row);
    int earliestCorrect = -1;
    for (int k = 0; k < numExits() && earliestCorrect < 0; ++k)
        if (predictedAt(row, k) == label)
            earliestCorrect = k;
    if (earliestCorrect < 0)
        return tr("oracle: no exit is correct, so it stays at exit 1, the cheapest");
    if (earliestCorrect == 0)
        return tr("oracle: already correct at exit 1, the cheapest");
    if (taken == earliestCorrect)
        return tr("oracle: exit %1 is its earliest correct exit, and the budget allows it").arg(taken + 1);
    return tr("oracle: its earliest correct exit %1 does not fit the budget, so it stays at exit %2")
        .arg(earliestCorrect + 1)
        .arg(taken + 1);
}

QVariant SampleTableModel::displayValue(int row, int column) const {
    const int taken = exitTaken(row);
    switch (column) {
    case SampleColumn:
        return QString::number(sampleAt(row));
    case LabelColumn:
        return className(labelAt(row));
    case ExitTakenColumn:
        return taken >= 0 ? QString::number(taken + 1) : QStringLiteral("—");
    case PredictionColumn:
        return taken >= 0 ? className(predictedAt(row, taken)) : QStringLiteral("—");
    case CorrectColumn:
        return taken < 0                                 ? QStringLiteral("—")
               : predictedAt(row, taken) == labelAt(row) ? QStringLiteral("✓")
                                                         : QStringLiteral("✗");
    case WhyColumn:
        return why(row);
    default:
        break;
    }
    const int exit = (column - FirstExitColumn) / 2;
    if ((column - FirstExitColumn) % 2 == 0)
        return className(predictedAt(row, exit)) +
               (predictedAt(row, exit) == labelAt(row) ? QStringLiteral(" ✓") : QStringLiteral(" ✗"));
    return m_policy && m_policy->scores ? number((*m_policy->scores)(exit, sampleAt(row))) : QString();
}

QVariant SampleTableModel::sortValue(int row, int column) const {
    switch (column) {
    case SampleColumn:
        return sampleAt(row);
    case ExitTakenColumn:
        return exitTaken(row) + 1;
    case CorrectColumn:
        return exitTaken(row) >= 0 && predictedAt(row, exitTaken(row)) == labelAt(row) ? 1 : 0;
    default:
        break;
    }
    if (column >= FirstExitColumn && (column - FirstExitColumn) % 2 == 1)
        return m_policy && m_policy->scores
                   ? (*m_policy->scores)((column - FirstExitColumn) / 2, sampleAt(row))
                   : 0.0;
    return displayValue(row, column);
}

QVariant SampleTableModel::csvValue(int row, int column) const {
    const int taken = exitTaken(row);
    switch (column) {
    case ExitTakenColumn:
        return taken >= 0 ? QString::number(taken + 1) : QString();
    case PredictionColumn:
        return taken >= 0 ? className(predictedAt(row, taken)) : QString();
    case CorrectColumn:
        return taken < 0 ? QString()
                         : QString::fromLatin1(predictedAt(row, taken) == labelAt(row) ? "true" : "false");
    case WhyColumn:
        return why(row)
            .replace(QStringLiteral("≥"), QStringLiteral(">="))
            .replace(QStringLiteral("−"), QStringLiteral("-"));
    default:
        break;
    }
    if (column >= FirstExitColumn && (column - FirstExitColumn) % 2 == 0)
        return className(predictedAt(row, (column - FirstExitColumn) / 2));
    return displayValue(row, column);
}

QVariant SampleTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const int row = index.row();
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(row, column);
    case SortRole:
        return sortValue(row, column);
    case CsvRole:
        return csvValue(row, column);
    case Qt::ToolTipRole:
        return column == WhyColumn ? why(row) : QVariant();
    case Qt::TextAlignmentRole: {
        const bool numeric = column == SampleColumn || column == ExitTakenColumn ||
                             (column >= FirstExitColumn && (column - FirstExitColumn) % 2 == 1);
        return QVariant::fromValue(Qt::AlignVCenter | (numeric ? Qt::AlignRight : Qt::AlignLeft));
    }
    case Qt::ForegroundRole:
        if (column == CorrectColumn && exitTaken(row) >= 0)
            return ChartPalette::truth(predictedAt(row, exitTaken(row)) == labelAt(row));
        return {};
    default:
        return {};
    }
}

QVariant SampleTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole && section >= FirstExitColumn && (section - FirstExitColumn) % 2 == 1)
        return m_snapshot && !m_snapshot->scoreName.empty() ? QString::fromStdString(m_snapshot->scoreName)
                                                            : tr("the policy has no scores");
    if (role == CsvRole) {
        static const char* const kFixed[] = {"sample", "label", "exit_taken", "prediction", "correct", "why"};
        if (section < FirstExitColumn)
            return QString::fromLatin1(kFixed[section]);
        const int exit = (section - FirstExitColumn) / 2 + 1;
        return QStringLiteral("exit%1_%2")
            .arg(exit)
            .arg(QLatin1String((section - FirstExitColumn) % 2 == 0 ? "prediction" : "score"));
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SampleColumn:
        return tr("sample");
    case LabelColumn:
        return tr("label");
    case ExitTakenColumn:
        return tr("exit taken");
    case PredictionColumn:
        return tr("prediction there");
    case CorrectColumn:
        return tr("correct");
    case WhyColumn:
        return tr("why");
    default:
        break;
    }
    const int exit = (section - FirstExitColumn) / 2;
    const QString name = QString::fromStdString(m_predictions->exitNames[static_cast<size_t>(exit)]);
    return (section - FirstExitColumn) % 2 == 0 ? tr("%1 prediction").arg(name) : tr("%1 score").arg(name);
}

} // namespace eenet
