#include "eval/TrainedScheduler.h"

#include "policy/ThresholdSolver.h"

#include <chrono>

namespace eenet {

TrainedScheduler describeFit(Evaluator& evaluator, double budget, EENetFit fit) {
    TrainedScheduler trained;
    trained.budget = budget;
    const Predictions& predictions = *evaluator.predictions();
    trained.valScores = std::make_shared<const ScoreMatrix>(fit.scheduler.scores(predictions.val));
    if (predictions.test)
        trained.testScores = std::make_shared<const ScoreMatrix>(fit.scheduler.scores(*predictions.test));

    const auto searchStart = std::chrono::steady_clock::now();
    const std::vector<double> searched =
        searchThresholds(*trained.valScores, *evaluator.exitData(Split::Val), budget);
    const double searchSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - searchStart).count();

    for (Split split : {Split::Val, Split::Test}) {
        const auto scores = trained.scores(split);
        if (!scores)
            continue;
        const ExitData& data = *evaluator.exitData(split);
        PolicyOutcome eenet = evaluatePolicy(*scores, fit.scheduler.thresholds, data);
        PolicyOutcome eenetOpt = evaluatePolicy(*scores, searched, data);
        const double eenetCost = eenet.cost;
        const double eenetOptCost = eenetOpt.cost;
        trained.eenet.push_back({"eenet", budget, split, std::move(eenet), fit.scheduler.thresholds,
                                 fit.trainSeconds, eenetCost, std::nullopt});
        trained.eenetOpt.push_back({"eenet-opt", budget, split, std::move(eenetOpt), searched,
                                    fit.trainSeconds + searchSeconds, eenetOptCost, std::nullopt});
    }
    trained.fit = std::move(fit);
    return trained;
}

} // namespace eenet
