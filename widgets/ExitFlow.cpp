#include "ExitFlow.h"

#include <stdexcept>

namespace eenet {

ExitFlow::ExitFlow(const Predictions& predictions, std::shared_ptr<const PolicySnapshot> snapshot,
                   Split split)
    : m_snapshot(std::move(snapshot))
    , m_split(split)
    , m_costs(predictions.costs)
    , m_exitNames(predictions.exitNames)
    , m_costUnit(predictions.costUnit) {
    m_policy = m_snapshot && m_snapshot->available ? m_snapshot->split(split) : nullptr;
    if (!m_policy)
        throw std::invalid_argument("ExitFlow: the snapshot cannot be shown or lacks the split");
    const ExitData& data = *m_policy->data;
    m_numSamples = data.numSamples;
    m_bands.assign(static_cast<size_t>(data.numExits), FlowBand{});
    for (int i = 0; i < m_numSamples; ++i) {
        FlowBand& band = m_bands[static_cast<size_t>(exitOf(i))];
        ++(correctAt(exitOf(i), i) ? band.leftCorrect : band.leftWrong);
    }
    // Whoever has not left by exit k goes on to exit k + 1.
    int remaining = m_numSamples;
    for (FlowBand& band : m_bands) {
        remaining -= band.left();
        band.continuing = remaining;
    }
}

int ExitFlow::exitOf(int sample) const {
    return m_policy->outcome.exitOf[static_cast<size_t>(sample)];
}

bool ExitFlow::correctAt(int exit, int sample) const {
    return m_policy->data->correct(exit, sample) != 0;
}

double ExitFlow::realisedCost() const {
    return m_policy->outcome.cost;
}

double ExitFlow::savedFraction() const {
    return 1.0 - realisedCost() / m_costs.back();
}

QString ExitFlow::costText(double cost) const {
    return QString::number(cost, 'g', 3) + QLatin1Char(' ') + QString::fromStdString(m_costUnit);
}

} // namespace eenet
