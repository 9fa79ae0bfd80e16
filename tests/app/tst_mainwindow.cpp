#include "CurveController.h"
#include "DatasetView.h"
#include "ExitTable.h"
#include "LoadController.h"
#include "MainWindow.h"
#include "PoliciesView.h"
#include "PolicyCurvesPlot.h"
#include "data/SyntheticPredictions.h"
#include "io/PredictionsWriter.h"
#include "session/Session.h"

#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace eenet;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void loadsAFileInTheBackground();
    void badFileShowsErrorAndKeepsPreviousData_data();
    void badFileShowsErrorAndKeepsPreviousData();
    void latestRequestWins();
    void dropLoadsAFile();
    void remembersRecentFilesAndLayout();

private:
    QString writeSynthetic(const QString& name, int exits);
    static QMessageBox* errorBox(MainWindow& window) {
        return window.findChild<QMessageBox*>(QStringLiteral("loadErrorBox"));
    }

    QTemporaryDir m_dir;
};

void TestMainWindow::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("EENetTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QVERIFY(m_dir.isValid());
}

void TestMainWindow::init() {
    QSettings().clear();
}

QString TestMainWindow::writeSynthetic(const QString& name, int exits) {
    const QString path = m_dir.filePath(name);
    writePredictions(path.toStdString(), makeSyntheticPredictions({exits, 10, 300, 100, 11}));
    return path;
}

void TestMainWindow::loadsAFileInTheBackground() {
    MainWindow window;
    window.show();
    const QString path = writeSynthetic("four.h5", 4);
    QSignalSpy loaded(window.session(), &Session::predictionsLoaded);
    window.openFile(path);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(window.session()->summary().numExits, 4);
    QCOMPARE(window.datasetView()->exitTable()->rowCount(), 4);
    QVERIFY(window.windowTitle().contains("four.h5"));
    // The policy curves follow in the background.
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->curves().empty(), 30000);
    QVERIFY(window.policiesView()->curvesPlot()->curve("maxprob") != nullptr);
    QCOMPARE(window.policiesView()->curvesPlot()->curve("maxprob")->dataCount(),
             CurveController::kBudgetCount);
}

void TestMainWindow::badFileShowsErrorAndKeepsPreviousData_data() {
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("text file") << "notes.h5" << QByteArray("just some text\n") << "not an HDF5 file";
    QTest::newRow("missing file") << "missing.h5" << QByteArray() << "no such file";
}

void TestMainWindow::badFileShowsErrorAndKeepsPreviousData() {
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    MainWindow window;
    window.show();
    QSignalSpy loaded(window.session(), &Session::predictionsLoaded);
    window.openFile(writeSynthetic("good.h5", 3));
    QVERIFY(loaded.wait(10000));
    const auto before = window.session()->predictions();

    const QString bad = m_dir.filePath(fileName);
    if (!content.isEmpty()) {
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    QSignalSpy failed(window.loader(), &LoadController::failed);
    window.openFile(bad);
    QVERIFY(failed.wait(10000));
    QTRY_VERIFY(errorBox(window) != nullptr);
    QVERIFY(errorBox(window)->isVisible());
    QVERIFY2(errorBox(window)->text().contains(bad), qPrintable(errorBox(window)->text()));
    QVERIFY2(errorBox(window)->text().contains(expected), qPrintable(errorBox(window)->text()));
    QCOMPARE(window.session()->predictions(), before);
    QCOMPARE(window.datasetView()->exitTable()->rowCount(), 3);
}

void TestMainWindow::latestRequestWins() {
    MainWindow window;
    const QString first = writeSynthetic("first.h5", 3);
    const QString second = writeSynthetic("second.h5", 5);
    QSignalSpy loaded(window.session(), &Session::predictionsLoaded);
    window.openFile(first);
    window.openFile(second);
    QVERIFY(loaded.wait(10000));
    QTRY_VERIFY(!window.loader()->isLoading());
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(window.session()->summary().numExits, 5);
}

void TestMainWindow::dropLoadsAFile() {
    MainWindow window;
    window.show();
    const QString path = writeSynthetic("dropped.h5", 6);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QSignalSpy loaded(window.session(), &Session::predictionsLoaded);
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &drop);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(window.session()->summary().numExits, 6);
}

void TestMainWindow::remembersRecentFilesAndLayout() {
    const QString path = writeSynthetic("recent.h5", 3);
    {
        MainWindow window;
        window.resize(1100, 700);
        window.show();
        QSignalSpy loaded(window.session(), &Session::predictionsLoaded);
        window.openFile(path);
        QVERIFY(loaded.wait(10000));
        window.close();
    }
    QCOMPARE(QSettings().value("recentFiles").toStringList().value(0), QFileInfo(path).absoluteFilePath());
    MainWindow reopened;
    QCOMPARE(reopened.size(), QSize(1100, 700));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
