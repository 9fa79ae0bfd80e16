// eenet-bench: measures the policy machinery and prints JSON. Speed targets live here, not in unit tests.
// Each figure is the median of several runs on this machine; synthetic inputs are labelled as such.

#include "Error.h"
#include "GuaranteeBench.h"
#include "LoadBench.h"
#include "MainWindow.h"
#include "MedianTime.h"
#include "ScaleBench.h"
#include "SliderLatency.h"
#include "StressRun.h"
#include "data/SyntheticPredictions.h"
#include "eval/Percentile.h"
#include "io/PredictionsReader.h"
#include "io/PredictionsWriter.h"
#include "policy/ConfidenceScores.h"
#include "policy/EENetTrainer.h"
#include "policy/PolicyEvaluation.h"
#include "policy/ThresholdSolver.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <vector>

using namespace eenet;

namespace {

/// Budgets of a studio curve.
constexpr int kCurveBudgets = 20;

/// The budgets of a studio curve (Evaluator::sweepBudgets): `count` evenly spaced from c_1 to c_K.
std::vector<double> curveBudgets(const Predictions& p, int count) {
    std::vector<double> budgets;
    for (int i = 0; i < count; ++i)
        budgets.push_back(i == count - 1
                              ? p.costs.back()
                              : p.costs.front() + (p.costs.back() - p.costs.front()) * i / (count - 1));
    return budgets;
}

QJsonObject benchmark(const QString& label, const Predictions& p, int trainRuns, int curveRuns, int threads) {
    const ExitData val = makeExitData(p, p.val);
    const ScoreMatrix scores = maxProbScores(p.val, p.numClasses);
    const double budget = p.costs.front() + 0.4 * (p.costs.back() - p.costs.front());
    const auto thresholds =
        thresholdsFromDistribution(scores, geometricDistributionForBudget(p.costs, budget));
    volatile double sink = 0;

    QJsonObject row{{"input", label},
                    {"num_val", p.val.numSamples},
                    {"num_exits", p.numExits},
                    {"num_classes", p.numClasses},
                    {"budget", budget}};
    row["policy_evaluation_ms"] =
        1e3 * medianSeconds(21, [&] { sink = sink + evaluatePolicy(scores, thresholds, val).cost; });
    row["geometric_thresholds_ms"] =
        1e3 * medianSeconds(11, [&] {
            sink =
                sink + thresholdsFromDistribution(scores, geometricDistributionForBudget(p.costs, budget))[0];
        });
    // The search remembers its candidates per score matrix (method.md 6.4): a first search of the scores,
    // then a further budget of the same scores (a curve's next point, a slider move).
    auto firstSearch = [&] {
        forgetThresholdSearches();
        sink = sink + searchThresholds(scores, val, budget)[0];
    };
    row["threshold_search_ms"] = 1e3 * medianSeconds(5, firstSearch);
    const double otherBudget = p.costs.front() + 0.7 * (p.costs.back() - p.costs.front());
    row["threshold_search_again_ms"] =
        1e3 * medianSeconds(5, [&] { sink = sink + searchThresholds(scores, val, otherBudget)[0]; });
    if (trainRuns > 0) {
        EENetOptions options;
        options.threads = threads;
        double lastCost = 0;
        row["eenet_train_s"] = medianSeconds(trainRuns, [&] {
            const EENetFit fit = trainEENet(p, budget, options);
            lastCost = evaluatePolicy(fit.scheduler.scores(p.val), fit.scheduler.thresholds, val).cost;
        });
        row["eenet_train_runs"] = trainRuns;
        row["eenet_val_cost_error_percent"] = 100.0 * (lastCost - budget) / budget;
    }
    if (curveRuns > 0) {
        // A studio curve: 20 budgets in order, each fit warm-started from the one before (EENetTrainer).
        EENetOptions options;
        options.threads = threads;
        const std::vector<double> budgets = curveBudgets(p, kCurveBudgets);
        // Not owned: the trainer lives inside this call.
        const std::shared_ptr<const Predictions> shared(&p, [](const Predictions*) {});
        row["eenet_curve_s"] = medianSeconds(curveRuns, [&] {
            EENetTrainer trainer(shared, options);
            for (double b : budgets)
                trainer.fit(b);
        });
        row["eenet_curve_budgets"] = kCurveBudgets;
        row["eenet_curve_runs"] = curveRuns;
    }
    return row;
}

QJsonArray sliderLatencies(const std::shared_ptr<const Predictions>& sample, bool quick) {
    QJsonArray rows;
    const int moves = quick ? 20 : 200;
    auto synthetic = [](int exits, int classes, int samples) {
        return std::make_shared<const Predictions>(
            makeSyntheticPredictions({exits, classes, samples, samples, 1}));
    };
    auto label = [](const Predictions& p) {
        return QStringLiteral("synthetic N=%1 K=%2 C=%3")
            .arg(p.val.numSamples)
            .arg(p.numExits)
            .arg(p.numClasses);
    };
    if (quick) {
        const auto small = synthetic(4, 10, 2000);
        rows.append(measureSliderLatency(label(*small), small, "maxprob", moves));
        return rows;
    }
    if (sample) {
        const QString path = QString::fromStdString(sample->sourcePath);
        for (const char* method : {"maxprob", "eenet", "maxprob-opt"})
            rows.append(measureSliderLatency(path, sample, method, moves));
        // The teaching views at N = 10k with real images: the flow's bands and the gallery's thumbnails.
        for (const QString& tab : {QStringLiteral("Flow"), QStringLiteral("Gallery")})
            rows.append(measureSliderLatency(path, sample, "maxprob", moves, tab));
    }
    for (const auto& p : {synthetic(4, 10, 10000), synthetic(5, 100, 50000)})
        for (const char* method : {"maxprob", "eenet"}) {
            std::cerr << "eenet-bench: slider latency, " << label(*p).toStdString() << ", " << method << "\n";
            rows.append(measureSliderLatency(label(*p), p, method, moves));
        }
    return rows;
}

/// The GUI event loop's latency under a storm of user actions while curves train (StressRun): how late a
/// 5 ms timer is served.
QJsonObject eventLoopLatency(bool quick) {
    QTemporaryDir dir;
    StressOptions options;
    options.sliderMoves = quick ? 500 : 10000;
    options.fileA = dir.filePath(QStringLiteral("a.h5"));
    options.fileB = dir.filePath(QStringLiteral("b.h5"));
    writePredictions(options.fileA.toStdString(), makeSyntheticPredictions({3, 10, 3000, 1000, 1}));
    writePredictions(options.fileB.toStdString(), makeSyntheticPredictions({4, 10, 4000, 1000, 2}));
    std::cerr << "eenet-bench: event-loop latency under " << options.sliderMoves << " slider moves\n";
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    const StressReport report = runStress(window, options);
    window.close();
    return QJsonObject{{"slider_moves", report.sliderMoves},
                       {"method_switches", report.methodSwitches},
                       {"split_switches", report.splitSwitches},
                       {"reloads", report.reloads},
                       {"trainings_started", report.trainingsStarted},
                       {"cancels", report.cancels},
                       {"schedulers_trained", report.schedulersTrained},
                       {"seconds", report.seconds},
                       {"probe_ticks", static_cast<int>(report.latenessMs.size())},
                       {"timer_lateness_p50_ms", nearestRankPercentile(report.latenessMs, 0.5)},
                       {"timer_lateness_p99_ms", nearestRankPercentile(report.latenessMs, 0.99)},
                       {"timer_lateness_max_ms", nearestRankPercentile(report.latenessMs, 1.0)},
                       {"violations", QJsonArray::fromStringList(report.violations)}};
}

} // namespace

int main(int argc, char* argv[]) {
    // The slider latency drives the real main window; without a display it renders offscreen.
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    // Its own settings, so benchmarking leaves the studio's layout and recent files alone.
    QApplication::setOrganizationName(QStringLiteral("EENet"));
    QApplication::setApplicationName(QStringLiteral("eenet-bench"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Benchmarks of EENet Studio's policy machinery (JSON on stdout)."));
    parser.addHelpOption();
    parser.addOptions(
        {{QStringLiteral("sample"), QStringLiteral("A real predictions file to include."),
          QStringLiteral("file")},
         {QStringLiteral("quick"), QStringLiteral("Small inputs only (a smoke run).")},
         {QStringLiteral("no-ui"),
          QStringLiteral("Skip the slider-to-redraw latency and the event-loop stress run.")},
         {QStringLiteral("ui-only"), QStringLiteral("Only the slider and event-loop latencies.")},
         {QStringLiteral("stress-only"),
          QStringLiteral("Only the event-loop latency under the stress run (10,000 slider moves).")},
         {QStringLiteral("load-only"),
          QStringLiteral("Only the load of a large file (25,000 + 25,000 x 5 x 1000, float32, 1 GB).")},
         {QStringLiteral("scale-only"),
          QStringLiteral("Only the paper-scale studio rows: what the views compute after loading 25,000 + "
                         "25,000 x 5 x 1000 (or --load-file), and the slider there and at 50,000 x 5 x "
                         "1000.")},
         {QStringLiteral("guarantee-only"),
          QStringLiteral(
              "Only whether budgets hold on test, without and with a 0.95 guarantee, per serving mode "
              "(docs/performance.md): the --sample file and five synthetic 100-class files.")},
         {QStringLiteral("load-file"),
          QStringLiteral("Time the load of this file instead of a synthetic one."), QStringLiteral("file")},
         {QStringLiteral("cold"), QStringLiteral("Drop the page cache before each load (needs root).")},
         {QStringLiteral("threads"), QStringLiteral("LibTorch threads for training."), QStringLiteral("n"),
          QStringLiteral("1")}});
    parser.process(app);
    const bool quick = parser.isSet(QStringLiteral("quick"));
    const int threads = parser.value(QStringLiteral("threads")).toInt();
    QJsonArray rows;
    QJsonArray latencies;
    QJsonObject eventLoop;
    QJsonObject load;
    QJsonObject scale;
    std::shared_ptr<const Predictions> sample;
    const bool stressOnly = parser.isSet(QStringLiteral("stress-only"));
    const bool loadOnly = parser.isSet(QStringLiteral("load-only"));
    const bool scaleOnly = parser.isSet(QStringLiteral("scale-only"));
    const bool guaranteeOnly = parser.isSet(QStringLiteral("guarantee-only"));
    try {
        if (guaranteeOnly) {
            std::cout << QJsonDocument(guaranteeBench(parser.value(QStringLiteral("sample")), quick, threads))
                             .toJson(QJsonDocument::Indented)
                             .toStdString();
            return 0;
        }
        if (scaleOnly)
            scale = measureScale(parser.value(QStringLiteral("load-file")), quick);
        // First, while the process holds little memory: the load's peak is measured against it.
        if (!scaleOnly && (loadOnly || (!stressOnly && !parser.isSet(QStringLiteral("ui-only"))))) {
            LoadBenchOptions options;
            options.file = parser.value(QStringLiteral("load-file"));
            options.coldCache = parser.isSet(QStringLiteral("cold"));
            if (quick) {
                options.exits = 4;
                options.classes = 100;
                options.samples = 2000;
            }
            load = measureLoad(options);
        }
        // The real file first: the largest synthetic case takes minutes.
        if (parser.isSet(QStringLiteral("sample")) && !loadOnly && !scaleOnly) {
            sample = readPredictions(parser.value(QStringLiteral("sample")).toStdString());
            std::cerr << "eenet-bench: " << sample->sourcePath << "\n";
            if (!parser.isSet(QStringLiteral("ui-only")) && !stressOnly)
                rows.append(benchmark(QString::fromStdString(sample->sourcePath), *sample, quick ? 1 : 5,
                                      quick ? 1 : 5, threads));
        }
        struct Config {
            int exits, classes, samples, trainRuns, curveRuns;
        };
        const bool noPolicyRows =
            parser.isSet(QStringLiteral("ui-only")) || stressOnly || loadOnly || scaleOnly;
        const std::vector<Config> configs = noPolicyRows ? std::vector<Config>{}
                                            : quick      ? std::vector<Config>{{4, 10, 2000, 1, 1}}
                                                         : std::vector<Config>{{4, 10, 10000, 5, 3},
                                                                               {4, 100, 10000, 5, 3},
                                                                               {5, 1000, 25000, 3, 1},
                                                                               {5, 1000, 50000, 1, 0}};
        for (const Config& c : configs) {
            const Predictions p = makeSyntheticPredictions({c.exits, c.classes, c.samples, 0, 1});
            const QString label =
                QStringLiteral("synthetic N=%1 K=%2 C=%3").arg(c.samples).arg(c.exits).arg(c.classes);
            std::cerr << "eenet-bench: " << label.toStdString() << "\n";
            rows.append(benchmark(label, p, c.trainRuns, c.curveRuns, threads));
        }
        if (!parser.isSet(QStringLiteral("no-ui")) && !loadOnly && !scaleOnly) {
            if (!stressOnly)
                latencies = sliderLatencies(sample, quick);
            eventLoop = eventLoopLatency(quick);
        }
    } catch (const Error& e) {
        std::cerr << "eenet-bench: error: " << e.what() << "\n";
        return 1;
    }
    std::cout << QJsonDocument(QJsonObject{{"load", load},
                                           {"benchmarks", rows},
                                           {"slider_latency", latencies},
                                           {"event_loop", eventLoop},
                                           {"scale", scale}})
                     .toJson(QJsonDocument::Indented)
                     .toStdString();
    return 0;
}
