#pragma once

#include <QMainWindow>

class QMenu;
class QLabel;

namespace eenet {

class Session;
class LoadController;
class RecentFiles;
class DatasetView;
class PoliciesView;
class CurveController;

/// Assembles the studio's panels and connects them; the logic lives in the session and the controllers.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    Session* session() const { return m_session; }
    LoadController* loader() const { return m_loader; }
    DatasetView* datasetView() const { return m_datasetView; }
    PoliciesView* policiesView() const { return m_policiesView; }
    CurveController* curveController() const { return m_curves; }

    /// Loads `path` in the background; on failure a message box names the problem and the data loaded
    /// before stays.
    void openFile(const QString& path);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void rebuildRecentMenu();
    void showOpenDialog();
    void onLoaded(const QString& path);
    void onLoadFailed(const QString& path, const QString& message);
    void restoreLayout();

    Session* m_session;
    LoadController* m_loader;
    RecentFiles* m_recent;
    CurveController* m_curves;
    DatasetView* m_datasetView;
    PoliciesView* m_policiesView;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_statusLabel = nullptr;
};

} // namespace eenet
