#pragma once

#include "Theme.h"

#include <QMainWindow>

#include <map>

class QMenu;
class QLabel;
class QDockWidget;
class QTabWidget;

namespace eenet {

class Session;
class LoadController;
class RecentFiles;
class BandController;
class CalibrationController;
class CalibrationView;
class CompareView;
class CurveController;
class PolicyController;
class TrainingController;
class TrainingActions;
class SchedulerExporter;
class SessionController;
class PolicyControls;
class PolicyCurvesPlot;
class DatasetView;
class ExitDistributionPlot;
class ThresholdHistograms;
class ClassAccuracyChart;
class ClassExitMap;
class TrainingPlot;
class SampleInspector;
class ExitFlowView;
class GuidedTour;
class PresentationMode;
class ExitGallery;
class OverthinkingView;
class UnsavedWork;
class SessionRecovery;
class ServingView;
class ModelRunController;
class ModelRunView;

/// Assembles the studio: the policy controls on top, the accuracy-budget curves in the centre and the
/// linked views in docks (layout, theme and window geometry remembered). The logic lives in the session
/// and the controllers.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    Session* session() const { return m_session; }
    LoadController* loader() const { return m_loader; }
    CurveController* curveController() const { return m_curves; }
    PolicyController* policyController() const { return m_policy; }
    TrainingController* trainingController() const { return m_training; }
    TrainingActions* trainingActions() const { return m_trainingActions; }
    SchedulerExporter* schedulerExporter() const { return m_exporter; }
    SessionController* sessionController() const { return m_sessions; }
    UnsavedWork* unsavedWork() const { return m_unsaved; }
    SessionRecovery* recovery() const { return m_recovery; }
    PolicyControls* policyControls() const { return m_controls; }
    PolicyCurvesPlot* curvesPlot() const { return m_curvesPlot; }
    DatasetView* datasetView() const { return m_datasetView; }
    ExitDistributionPlot* exitDistribution() const { return m_exitDistribution; }
    ThresholdHistograms* thresholds() const { return m_thresholds; }
    ClassExitMap* classMap() const { return m_classMap; }
    /// Beside the per-class map, in its dock: which classes lose accuracy under the policy.
    ClassAccuracyChart* classAccuracy() const { return m_classAccuracy; }
    TrainingPlot* trainingPlot() const { return m_trainingPlot; }
    SampleInspector* inspector() const { return m_inspector; }
    /// The centre of the window: tabs for the curves, the flow, the gallery and the overthinking view, the
    /// views that want the most room (and that a lecture shows large).
    QTabWidget* stage() const { return m_stage; }
    ExitFlowView* flow() const { return m_flow; }
    ExitGallery* gallery() const { return m_gallery; }
    OverthinkingView* overthinking() const { return m_overthinking; }
    CalibrationView* calibrationView() const { return m_calibrationView; }
    CompareView* compareView() const { return m_compare; }
    /// Cost per sample in batched serving, and the cost model and serving rule budgets are in.
    ServingView* servingView() const { return m_servingView; }
    /// "Run on model": the policy shown, run for real on the file's model (File ▸ Attach Model…).
    ModelRunController* modelRunController() const { return m_modelRun; }
    ModelRunView* modelRunView() const { return m_modelRunView; }
    CalibrationController* calibrationController() const { return m_calibration; }
    BandController* bandController() const { return m_bands; }
    GuidedTour* tour() const { return m_tour; }
    PresentationMode* presentation() const { return m_presentation; }
    /// The dock holding `view` (nullptr for the central curves).
    QDockWidget* dockOf(QWidget* view) const;

    /// Loads `path` in the background, a predictions file or a session (.eenet-session); on failure a message
    /// box names the problem and the data loaded before stays.
    void openFile(const QString& path);
    /// What the File menu and a drop do: asks first when unsaved work would be lost, then openFile().
    void requestOpen(const QString& path);
    void setTheme(Theme theme);
    /// Exports the method shown at the current budget to `path` (.json or .pt) in the background; the
    /// result (replay summary or error) is reported in a message box.
    void exportScheduler(const QString& path);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QDockWidget* addView(QWidget* view, const QString& title, const QString& name, Qt::DockWidgetArea area);
    void arrangeDefaultLayout();
    void createMenus();
    void connectStatusMessages();
    void rebuildRecentMenu();
    void onLoaded(const QString& path);
    void onLoadFailed(const QString& path, const QString& message);
    void showError(const QString& title, const QString& message);
    void restoreLayout();

    Session* m_session;
    LoadController* m_loader;
    RecentFiles* m_recent;
    CurveController* m_curves;
    CalibrationController* m_calibration;
    BandController* m_bands;
    PolicyController* m_policy;
    TrainingController* m_training;
    TrainingActions* m_trainingActions;
    SchedulerExporter* m_exporter;
    SessionController* m_sessions;
    UnsavedWork* m_unsaved;
    SessionRecovery* m_recovery;
    PolicyControls* m_controls;
    PolicyCurvesPlot* m_curvesPlot;
    DatasetView* m_datasetView;
    ExitDistributionPlot* m_exitDistribution;
    ThresholdHistograms* m_thresholds;
    ClassExitMap* m_classMap;
    ClassAccuracyChart* m_classAccuracy;
    TrainingPlot* m_trainingPlot;
    SampleInspector* m_inspector;
    ExitFlowView* m_flow;
    ExitGallery* m_gallery;
    OverthinkingView* m_overthinking;
    CalibrationView* m_calibrationView;
    CompareView* m_compare;
    ServingView* m_servingView;
    ModelRunController* m_modelRun;
    ModelRunView* m_modelRunView;
    QTabWidget* m_stage;
    GuidedTour* m_tour = nullptr;
    PresentationMode* m_presentation = nullptr;
    std::map<QWidget*, QDockWidget*> m_docks;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QLabel* m_statusLabel = nullptr;
    Theme m_theme = Theme::System;
    /// Set once the user chose to quit despite unsaved work (or after saving it).
    bool m_closeConfirmed = false;
};

} // namespace eenet
