#include "CurveController.h"
#include "DatasetView.h"
#include "ExitFlowView.h"
#include "ExitGallery.h"
#include "GuidedTour.h"
#include "InputsFixture.h"
#include "MainWindow.h"
#include "PolicyController.h"
#include "PolicyCurvesPlot.h"
#include "TestData.h"
#include "ThresholdHistograms.h"
#include "TrainingController.h"
#include "TrainingPlot.h"
#include "io/PredictionsWriter.h"
#include "session/Session.h"

#include <QDockWidget>
#include <QFrame>
#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace eenet;

class TestGuidedTour : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void eachStepSetsTheStateItDescribes();
    void stepsNeedingInputsAreSkippedWithoutThem();
    void backAndEscape();
    void needsAnOpenFile();

private:
    static void loadAndSettle(MainWindow& window, const QString& path);
    /// The step of `tour` whose title is `title`, by walking Next from the start.
    static bool goTo(GuidedTour& tour, const QString& title);

    QTemporaryDir m_dir;
    QString m_withImages;
    QString m_plain;
};

void TestGuidedTour::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("EENetTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_guidedtour"));
    QVERIFY(m_dir.isValid());
    const auto base = test::sharedSynthetic({4, 10, 300, 100, 17});
    m_withImages = m_dir.filePath(QStringLiteral("images.h5"));
    writePredictions(m_withImages.toStdString(), *test::withInputs(*base, InputKind::Image));
    m_plain = m_dir.filePath(QStringLiteral("plain.h5"));
    writePredictions(m_plain.toStdString(), *base);
}

void TestGuidedTour::loadAndSettle(MainWindow& window, const QString& path) {
    window.resize(1280, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openFile(path);
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->curves().empty(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->snapshot() && !window.policyController()->isBusy(), 30000);
}

bool TestGuidedTour::goTo(GuidedTour& tour, const QString& title) {
    tour.start();
    while (tour.isRunning() && tour.steps()[size_t(tour.current())].title != title)
        tour.next();
    return tour.isRunning();
}

void TestGuidedTour::eachStepSetsTheStateItDescribes() {
    MainWindow window;
    loadAndSettle(window, m_withImages);
    GuidedTour& tour = *window.tour();
    Session& session = *window.session();
    QCOMPARE(tour.stepsShown().size(), tour.steps().size());
    QVERIFY(tour.steps().size() >= 9 && tour.steps().size() <= 12);
    // Every step: a title, two to four sentences, a target that shows (or the whole window), the panel
    // inside the window.
    tour.start();
    int seen = 0;
    while (tour.isRunning()) {
        ++seen;
        const QString text = tour.textLabel()->text();
        const int sentences = int(text.count(QStringLiteral(". ")) + (text.endsWith('.') ? 1 : 0));
        QVERIFY2(sentences >= 2 && sentences <= 4, qPrintable(text));
        QVERIFY(!tour.titleLabel()->text().isEmpty());
        QVERIFY(tour.panel()->isVisible());
        QVERIFY(window.rect().contains(tour.panel()->geometry()));
        if (tour.target())
            QVERIFY2(tour.target()->isVisible(), qPrintable(tour.titleLabel()->text()));
        tour.next();
    }
    QCOMPARE(seen, int(tour.steps().size()));
    QVERIFY(!tour.panel()->isVisible());

    QVERIFY(goTo(tour, QStringLiteral("A multi-exit network")));
    QVERIFY(window.datasetView()->isVisible());
    QVERIFY(tour.textLabel()->text().contains(QStringLiteral("has 4 exits")));
    QVERIFY(goTo(tour, QStringLiteral("Each exit alone")));
    QCOMPARE(session.method().name(), std::string("maxprob"));
    QCOMPARE(window.stage()->currentWidget(), window.curvesPlot());
    QVERIFY(goTo(tour, QStringLiteral("A confidence score and one threshold")));
    QVERIFY(window.thresholds()->isVisible());
    QVERIFY(goTo(tour, QStringLiteral("A budget is an average cost")));
    QCOMPARE(session.budget(),
             std::clamp(0.4 * session.maxBudget(), session.minBudget(), session.maxBudget()));
    QVERIFY(tour.textLabel()->text().contains(QStringLiteral("40 %")));
    QVERIFY(goTo(tour, QStringLiteral("Samples flow through the exits")));
    QCOMPARE(window.stage()->currentWidget(), window.flow());
    QVERIFY(goTo(tour, QStringLiteral("Easy inputs leave early")));
    QCOMPARE(window.stage()->currentWidget(), window.gallery());
    QVERIFY(goTo(tour, QStringLiteral("EENet learns when to exit")));
    QVERIFY(window.trainingPlot()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!session.schedulers().empty(), 60000);
    QCOMPARE(session.schedulers().front()->budget, session.budget());
    QVERIFY(goTo(tour, QStringLiteral("The oracle ceiling")));
    QCOMPARE(session.method().name(), std::string("oracle"));
    QVERIFY(goTo(tour, QStringLiteral("Your turn")));
    QVERIFY(tour.target() == nullptr);
    QCOMPARE(tour.nextButton()->text(), QStringLiteral("Finish"));
    tour.next();
    QVERIFY(!tour.isRunning());
    window.trainingController()->stopAndWait();
}

void TestGuidedTour::stepsNeedingInputsAreSkippedWithoutThem() {
    MainWindow window;
    loadAndSettle(window, m_plain);
    GuidedTour& tour = *window.tour();
    QCOMPARE(tour.stepsShown().size(), tour.steps().size() - 1);
    tour.start();
    while (tour.isRunning()) {
        QVERIFY(!tour.steps()[size_t(tour.current())].needsInputs);
        QVERIFY(tour.panel()->findChildren<QLabel*>().size() > 0);
        tour.next();
    }
    window.trainingController()->stopAndWait();
}

void TestGuidedTour::backAndEscape() {
    MainWindow window;
    loadAndSettle(window, m_plain);
    GuidedTour& tour = *window.tour();
    tour.start();
    const int first = tour.current();
    QVERIFY(!tour.backButton()->isEnabled());
    tour.next();
    QVERIFY(tour.backButton()->isEnabled());
    tour.back();
    QCOMPARE(tour.current(), first);
    QTest::keyClick(&window, Qt::Key_Escape);
    QVERIFY(!tour.isRunning());
    QVERIFY(!tour.panel()->isVisible());
}

void TestGuidedTour::needsAnOpenFile() {
    MainWindow window;
    window.tour()->start();
    QVERIFY(!window.tour()->isRunning());
}

QTEST_MAIN(TestGuidedTour)
#include "tst_guidedtour.moc"
