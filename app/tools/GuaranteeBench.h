#pragma once

#include <QJsonObject>
#include <QString>

namespace eenet {

/// Does a budget hold on unseen data (docs/performance.md, "Budgets on unseen data")? On the 18 inner budgets
/// of a 20-budget sweep, per serving mode (per sample, sync:32, compact:32) and method (maxprob, maxprob-opt,
/// eenet), thresholds are fitted on val without and with a 0.95 guarantee (BudgetRule) and applied to test:
/// how often the test cost stays <= the budget, by how much it overshoots, the val margin the guarantee took
/// and the test accuracy it cost. Per sample and without a guarantee is the default rule: today's fits. On
/// the file at `samplePath` (none when empty) and on five synthetic 100-class files (seeds 1-5, counted
/// together; one small file with `quick`), with how fast the rule's costs are on the first of them.
/// `threads`: LibTorch threads for EENet.
QJsonObject guaranteeBench(const QString& samplePath, bool quick, int threads);

} // namespace eenet
