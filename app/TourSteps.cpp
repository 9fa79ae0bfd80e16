#include "TourSteps.h"

#include "DatasetView.h"
#include "ExitDistributionPlot.h"
#include "ExitFlowView.h"
#include "ExitGallery.h"
#include "MainWindow.h"
#include "PolicyCurvesPlot.h"
#include "ThresholdHistograms.h"
#include "TrainingActions.h"
#include "TrainingPlot.h"
#include "session/Session.h"

#include <QAction>
#include <QDockWidget>
#include <QMenuBar>
#include <QTabWidget>

namespace eenet {
namespace {

/// The centre's tabs, in MainWindow's order.
enum StageTab { CurvesTab = 0, FlowTab = 1, GalleryTab = 2 };

QString tr(const char* text) {
    return QCoreApplication::translate("eenet::TourSteps", text);
}

QString cost(const MainWindow& window, double value) {
    return QStringLiteral("%1 %2")
        .arg(value, 0, 'g', 3)
        .arg(QString::fromStdString(window.session()->predictions()->costUnit));
}

void useMethod(MainWindow& window, const char* name) {
    window.session()->setMethod(*Method::parse(name));
}

void showTab(MainWindow& window, int tab) {
    window.stage()->setCurrentIndex(tab);
}

void raiseDockOf(MainWindow& window, QWidget* view) {
    QDockWidget* dock = window.dockOf(view);
    dock->show();
    dock->raise();
}

/// 40 % of the full network's cost, within the budgets the file allows: a budget where exits differ.
double tourBudget(const Session& session) {
    return std::clamp(0.4 * session.maxBudget(), session.minBudget(), session.maxBudget());
}

} // namespace

std::vector<TourStep> tourSteps() {
    std::vector<TourStep> steps;
    steps.push_back(
        {tr("A multi-exit network"),
         [](const MainWindow& w) {
             const Predictions& p = *w.session()->predictions();
             return tr("This model, %1, has %2 exits: a classifier after each block of layers. Reaching "
                       "exit k costs everything before it: %3 for the first exit, %4 for the whole "
                       "network. The table lists every exit on its own.")
                 .arg(QString::fromStdString(p.model))
                 .arg(p.numExits)
                 .arg(cost(w, p.costs.front()), cost(w, p.costs.back()));
         },
         [](MainWindow& w) { raiseDockOf(w, w.datasetView()); },
         [](const MainWindow& w) -> QWidget* { return w.datasetView(); }});
    steps.push_back(
        {tr("Each exit alone"),
         [](const MainWindow&) {
             return tr("Each diamond is one exit used for every sample: more cost buys more accuracy. "
                       "Early exit does better than this staircase by choosing per sample: easy samples "
                       "leave early, hard ones go on.");
         },
         [](MainWindow& w) {
             useMethod(w, "maxprob");
             showTab(w, CurvesTab);
         },
         [](const MainWindow& w) -> QWidget* { return w.curvesPlot(); }});
    steps.push_back(
        {tr("A confidence score and one threshold"),
         [](const MainWindow&) {
             return tr("At each exit a score says how sure the exit is; here it is the largest softmax "
                       "probability. A sample leaves at the first exit whose score reaches the threshold T "
                       "(the dashed line): right of it samples leave, left of it they go on. Blue bars are "
                       "samples the exit gets right, orange ones it gets wrong.");
         },
         [](MainWindow& w) {
             useMethod(w, "maxprob");
             raiseDockOf(w, w.thresholds());
         },
         [](const MainWindow& w) -> QWidget* { return w.thresholds(); }});
    steps.push_back(
        {tr("A budget is an average cost"),
         [](const MainWindow& w) {
             const Session& s = *w.session();
             return tr("The budget is the average cost per sample you can afford. The thresholds are set so "
                       "that the average cost spent on the validation split meets it. It is now %1, %2 % "
                       "of the whole network: the bars show where samples leave. Drag the slider and "
                       "watch them move.")
                 .arg(cost(w, s.budget()))
                 .arg(100.0 * s.budget() / s.maxBudget(), 0, 'f', 0);
         },
         [](MainWindow& w) { w.session()->setBudget(tourBudget(*w.session())); },
         [](const MainWindow& w) -> QWidget* { return w.exitDistribution(); }});
    steps.push_back(
        {tr("Samples flow through the exits"),
         [](const MainWindow&) {
             return tr("Each box is a block of the network; after it, a gate lets the confident samples out. "
                       "Band widths count samples: green ones leave with the right answer, red ones with a "
                       "wrong one. Press Step to follow a single sample.");
         },
         [](MainWindow& w) { showTab(w, FlowTab); },
         [](const MainWindow& w) -> QWidget* { return w.flow(); }});
    steps.push_back(
        {tr("Easy inputs leave early"),
         [](const MainWindow&) {
             return tr("These are the real inputs each exit takes, the most confident first. The early "
                       "columns hold the easy, typical ones; unusual ones travel on to the last exit. A red "
                       "frame is a mistake made by leaving early.");
         },
         [](MainWindow& w) { showTab(w, GalleryTab); },
         [](const MainWindow& w) -> QWidget* { return w.gallery(); }, true});
    steps.push_back(
        {tr("Compare rules at equal realised cost"),
         [](const MainWindow&) {
             return tr("Every rule (max score, entropy, patience, …) draws accuracy against the cost it "
                       "actually spends. Compare curves at the same realised cost: the higher one wins "
                       "there. Gaps below about 0.1 points are noise. Click a legend entry to hide a curve.");
         },
         [](MainWindow& w) { showTab(w, CurvesTab); },
         [](const MainWindow& w) -> QWidget* { return w.curvesPlot(); }});
    steps.push_back(
        {tr("EENet learns when to exit"),
         [](const MainWindow&) {
             return tr("EENet learns a score per exit from the predictions themselves, and an assignment "
                       "network that spreads samples over the exits to meet the budget. It is training now "
                       "at this budget: watch its losses; then its point joins the curves.");
         },
         [](MainWindow& w) {
             showTab(w, CurvesTab);
             w.trainingActions()->trainAction()->trigger();
             raiseDockOf(w, w.trainingPlot());
         },
         [](const MainWindow& w) -> QWidget* { return w.trainingPlot(); }});
    steps.push_back(
        {tr("The oracle ceiling"),
         [](const MainWindow&) {
             return tr("The oracle knows the labels and sends each sample to the earliest exit that gets it "
                       "right, so no real policy can beat it. The gap between a policy and this ceiling is "
                       "what better scores could still gain.");
         },
         [](MainWindow& w) {
             useMethod(w, "oracle");
             showTab(w, CurvesTab);
         },
         [](const MainWindow& w) -> QWidget* { return w.curvesPlot(); }});
    steps.push_back(
        {tr("Export for deployment"),
         [](const MainWindow&) {
             return tr("Once a policy is chosen, File ▸ Export Scheduler… writes it as JSON or TorchScript, "
                       "with proof that the exported file makes the same decisions. An inference service "
                       "loads it next to the model and stops each input at its exit.");
         },
         [](MainWindow& w) { useMethod(w, "eenet"); },
         [](const MainWindow& w) -> QWidget* { return w.menuBar(); }});
    steps.push_back({tr("Your turn"),
                     [](const MainWindow&) {
                         return tr("That is the whole idea. Move the budget, switch methods and splits, "
                                   "click any bar to see its samples. Help ▸ Guided Tour starts this again.");
                     },
                     [](MainWindow&) {}, [](const MainWindow&) -> QWidget* { return nullptr; }});
    return steps;
}

} // namespace eenet
