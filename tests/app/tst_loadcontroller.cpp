#include "LoadController.h"
#include "LoadProgress.h"
#include "data/SyntheticPredictions.h"
#include "io/PredictionsWriter.h"
#include "session/Session.h"

#include <QLabel>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <algorithm>

using namespace eenet;

/// Loading in the background: progress rises to 1, a cancelled load leaves the session with what it had,
/// a newer load overtakes an older one, and the status bar's indicator follows and cancels.
class TestLoadController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void loadReportsRisingProgressToOne();
    void cancelKeepsTheDataLoadedBefore();
    void aNewerLoadOvertakesTheRunningOne();
    void progressIndicatorShowsAndCancels();

private:
    /// A file of several slabs per exit, so that progress has steps and cancel a slab to stop at.
    QString writeFile(const QString& name, std::uint64_t seed) {
        const QString path = m_dir.filePath(name);
        writePredictions(path.toStdString(), makeSyntheticPredictions({3, 1000, 2621, 500, seed}), {0});
        return path;
    }
    /// Loads `path` and returns its predictions once they reach the session.
    std::shared_ptr<const Predictions> loadInto(LoadController& loader, Session& session,
                                                const QString& path) {
        QSignalSpy loaded(&loader, &LoadController::loaded);
        loader.load(path);
        if (!loaded.wait(60000))
            return nullptr;
        return session.predictions();
    }

    QTemporaryDir m_dir;
    QString m_fileA;
    QString m_fileB;
};

void TestLoadController::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_fileA = writeFile("a.h5", 1);
    m_fileB = writeFile("b.h5", 2);
}

void TestLoadController::loadReportsRisingProgressToOne() {
    LoadController loader;
    QSignalSpy progressed(&loader, &LoadController::progressed);
    QSignalSpy loaded(&loader, &LoadController::loaded);
    loader.load(m_fileA);
    QVERIFY(loaded.wait(60000));
    QVERIFY(!loader.isLoading());
    std::vector<double> fractions;
    for (const QList<QVariant>& signal : progressed)
        fractions.push_back(signal.at(0).toDouble());
    QVERIFY(fractions.size() >= 3);
    QCOMPARE(fractions.front(), 0.0);
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
    QCOMPARE(fractions.back(), 1.0);
}

void TestLoadController::cancelKeepsTheDataLoadedBefore() {
    Session session;
    LoadController loader;
    connect(&loader, &LoadController::loaded, &session,
            [&session](const QString&, std::shared_ptr<const Predictions> p) { session.setPredictions(p); });
    const auto before = loadInto(loader, session, m_fileA);
    QVERIFY(before);

    QSignalSpy loaded(&loader, &LoadController::loaded);
    QSignalSpy failed(&loader, &LoadController::failed);
    QSignalSpy cancelled(&loader, &LoadController::cancelled);
    loader.load(m_fileB);
    loader.cancel();
    QVERIFY(cancelled.wait(60000));
    QCOMPARE(cancelled.size(), 1);
    QCOMPARE(cancelled.at(0).at(0).toString(), m_fileB);
    QVERIFY(!loader.isLoading());
    QCOMPARE(loaded.size(), 0);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(session.predictions(), before);

    // Nothing is left half-done: the next load works.
    const auto after = loadInto(loader, session, m_fileB);
    QVERIFY(after);
    QCOMPARE(QString::fromStdString(after->sourcePath), m_fileB);
}

void TestLoadController::aNewerLoadOvertakesTheRunningOne() {
    LoadController loader;
    QSignalSpy loaded(&loader, &LoadController::loaded);
    QSignalSpy cancelled(&loader, &LoadController::cancelled);
    loader.load(m_fileA);
    loader.load(m_fileB);
    QVERIFY(loaded.wait(60000));
    QTRY_VERIFY(!loader.isLoading());
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(loaded.at(0).at(0).toString(), m_fileB);
    QCOMPARE(cancelled.size(), 0);
}

void TestLoadController::progressIndicatorShowsAndCancels() {
    LoadController loader;
    QLabel status(QStringLiteral("Loaded a.h5"));
    QWidget window;
    auto* progress = new LoadProgress(&loader, &status, &window);
    window.show();
    QVERIFY(!progress->isVisible());

    QSignalSpy loaded(&loader, &LoadController::loaded);
    loader.load(m_fileA);
    QVERIFY(progress->isVisible());
    QVERIFY(loaded.wait(60000));
    QVERIFY(!progress->isVisible());
    QCOMPARE(progress->progressBar()->value(), progress->progressBar()->maximum());

    QSignalSpy cancelled(&loader, &LoadController::cancelled);
    loader.load(m_fileB);
    QVERIFY(progress->isVisible());
    QTest::mouseClick(progress->cancelButton(), Qt::LeftButton);
    QVERIFY(cancelled.wait(60000));
    QVERIFY(!progress->isVisible());
    QVERIFY2(status.text().startsWith(QStringLiteral("Loading cancelled")), qPrintable(status.text()));
    QVERIFY(status.text().contains(QStringLiteral("b.h5")));
}

QTEST_MAIN(TestLoadController)
#include "tst_loadcontroller.moc"
