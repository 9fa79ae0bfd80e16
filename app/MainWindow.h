#pragma once

#include <QMainWindow>

class QMenu;
class QLabel;

namespace eenet {

class Session;
class LoadController;
class RecentFiles;
class DatasetView;

/// Assembles the studio's panels and connects them; the logic lives in the session and the controllers.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    Session* session() const { return m_session; }
    LoadController* loader() const { return m_loader; }
    DatasetView* datasetView() const { return m_datasetView; }

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
    DatasetView* m_datasetView;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_statusLabel = nullptr;
};

} // namespace eenet
