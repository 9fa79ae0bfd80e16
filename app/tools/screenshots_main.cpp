// eenet-screenshots: opens the studio on a predictions file, trains an EENet curve, picks a bar for the
// inspector, and saves the whole window, every view and centre tab, a tour step, presentation mode and the
// report as PNG — the pictures in docs/ come from it.

#include "ExitDistributionPlot.h"
#include "GuidedTour.h"
#include "MainWindow.h"
#include "ModelRunController.h"
#include "ModelRunView.h"
#include "PolicyController.h"
#include "PolicyControls.h"
#include "PresentationMode.h"
#include "ReportExporter.h"
#include "SpinUntil.h"
#include "TrainingActions.h"
#include "TrainingController.h"
#include "eval/ServingMode.h"
#include "session/Session.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTextBrowser>

#include <iostream>

using namespace eenet;

namespace {

/// Qt's rich-text engine does not load data: URIs by itself; the report embeds its pictures that way.
class ReportPage : public QTextBrowser {
protected:
    QVariant loadResource(int type, const QUrl& url) override {
        if (type != QTextDocument::ImageResource || url.scheme() != QLatin1String("data"))
            return QTextBrowser::loadResource(type, url);
        const QByteArray uri = url.toString(QUrl::FullyEncoded).toLatin1();
        return QImage::fromData(QByteArray::fromBase64(uri.mid(uri.indexOf(',') + 1)));
    }
};

QByteArray readBytesOf(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void save(QWidget* widget, const QDir& dir, const QString& name) {
    const QString path = dir.filePath(name + QStringLiteral(".png"));
    if (!widget->grab().save(path))
        std::cerr << "eenet-screenshots: cannot write " << path.toStdString() << "\n";
    else
        std::cout << path.toStdString() << "\n";
}

} // namespace

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    // A throwaway settings location: the pictures show the first-run layout, whatever the user saved.
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setApplicationName(QStringLiteral("eenet-screenshots"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Saves screenshots of the studio and each view."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Predictions file."));
    parser.addPositionalArgument(QStringLiteral("dir"), QStringLiteral("Output directory."));
    parser.addOption({QStringLiteral("theme"), QStringLiteral("system, light or dark."),
                      QStringLiteral("theme"), QStringLiteral("light")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("Window size, WIDTHxHEIGHT."),
                      QStringLiteral("size"), QStringLiteral("1280x800")});
    parser.process(app);
    const QStringList size = parser.value(QStringLiteral("size")).split(QLatin1Char('x'));
    const int width = size.value(0).toInt();
    const int height = size.value(1).toInt();
    if (size.size() != 2 || width < 400 || height < 300) {
        std::cerr << "eenet-screenshots: --size wants WIDTHxHEIGHT, at least 400x300\n";
        return 2;
    }
    if (parser.positionalArguments().size() != 2)
        parser.showHelp(2);
    const QDir dir(parser.positionalArguments()[1]);
    QDir().mkpath(dir.path());

    MainWindow window;
    window.setTheme(parser.value(QStringLiteral("theme")) == QLatin1String("dark") ? Theme::Dark
                                                                                   : Theme::Light);
    window.resize(width, height);
    window.show();
    Session* session = window.session();
    window.openFile(parser.positionalArguments()[0]);
    if (!spinUntil([&] { return !session->curves().empty(); }, 120000)) {
        std::cerr << "eenet-screenshots: the file did not load\n";
        return 1;
    }
    window.trainingActions()->trainCurveAction()->trigger();
    spinUntil([&] { return !window.trainingController()->isRunning(); }, 600000);
    // A budget between two trained ones: EENet shows the nearest scheduler re-thresholded.
    const double range = session->maxBudget() - session->minBudget();
    session->setBudget(session->minBudget() + 0.13 * range);
    spinUntil([&] { return !window.policyController()->isBusy(); }, 60000);
    spinUntil([] { return false; }, 300); // the views redraw from the new snapshot
    window.exitDistribution()->selectBar(Split::Test, 1, false);
    spinUntil([] { return false; }, 500);

    save(&window, dir, QStringLiteral("main-window"));
    for (QDockWidget* dock : window.findChildren<QDockWidget*>()) {
        dock->raise();
        spinUntil([] { return false; }, 300);
        save(dock->widget(), dir, dock->objectName().remove(QStringLiteral("Dock")));
    }
    // The centre's tabs, each as the window shows it.
    QTabWidget* stage = window.stage();
    for (int tab = 0; tab < stage->count(); ++tab) {
        if (stage->widget(tab) == window.modelRunView())
            continue; // saved after a real run, below
        stage->setCurrentIndex(tab);
        spinUntil([] { return false; }, 700); // the flow view's stream gets going
        save(&window, dir, QStringLiteral("tab-") + stage->tabText(tab).toLower());
    }
    // "Run on model" after a real run of the model beside the file (the sample ships one), when there is one.
    const QFileInfo input(parser.positionalArguments()[0]);
    const QString model = input.dir().filePath(input.completeBaseName() + QStringLiteral(".pt"));
    if (QFileInfo::exists(model)) {
        ModelRunController* runs = window.modelRunController();
        runs->attachModel(model);
        spinUntil([&] { return !session->modelPath().isEmpty() || !runs->isChecking(); }, 60000);
        stage->setCurrentWidget(window.modelRunView());
        window.modelRunView()->runButton()->click();
        spinUntil([&] { return !runs->isRunning(); }, 600000);
        spinUntil([] { return false; }, 500);
        if (!runs->result())
            std::cerr << "eenet-screenshots: the run on " << model.toStdString() << " failed\n";
        save(&window, dir, QStringLiteral("tab-run-model"));
    }
    // One tour step pointing at a view: the gallery when the file has inputs, else the thresholds.
    GuidedTour* tour = window.tour();
    tour->start();
    const QString wanted = session->predictions()->val.inputs
                               ? QStringLiteral("Easy inputs leave early")
                               : QStringLiteral("A confidence score and one threshold");
    while (tour->isRunning() && tour->steps()[static_cast<size_t>(tour->current())].title != wanted)
        tour->next();
    spinUntil([] { return false; }, 500);
    save(&window, dir, QStringLiteral("tour"));
    tour->stop();
    // Presentation mode, on the flow view: what the back row sees.
    stage->setCurrentIndex(1);
    window.presentation()->setOn(true);
    spinUntil([] { return false; }, 1000);
    save(&window, dir, QStringLiteral("presentation"));
    window.presentation()->setOn(false);

    // The report of the method shown, as a reader's first screen of it (Qt's rich-text engine draws the
    // page; a browser shows the same content with its own fonts).
    ReportExporter reports(session);
    QString reportPath;
    QObject::connect(&reports, &ReportExporter::exported,
                     [&reportPath](const QString& path) { reportPath = path; });
    if (reports.exportTo(dir.filePath(QStringLiteral("report.html"))))
        spinUntil([&] { return !reportPath.isEmpty() || !reports.isBusy(); }, 60000);
    if (!reportPath.isEmpty()) {
        ReportPage page;
        page.setHtml(QString::fromUtf8(readBytesOf(reportPath)));
        page.resize(1000, 1300);
        page.show();
        spinUntil([] { return false; }, 500);
        save(&page, dir, QStringLiteral("report-top"));
        // Then its charts, from their heading on.
        if (page.find(QStringLiteral("Accuracy against realised cost"))) {
            QScrollBar* scroll = page.verticalScrollBar();
            scroll->setValue(scroll->value() + page.cursorRect().top() - 12);
            spinUntil([] { return false; }, 300);
        }
        save(&page, dir, QStringLiteral("report"));
        QFile::remove(reportPath);
    }
    // Budgets that hold in sync batches of 32: every curve, the trained schedulers' too, in that cost.
    BudgetRule sync;
    sync.serving = parseServingMode("sync:32");
    session->setBudgetRule(sync);
    spinUntil([&] { return !session->curves().empty(); }, 300000);
    spinUntil([&] { return !window.policyController()->isBusy(); }, 60000);
    stage->setCurrentIndex(0);
    spinUntil([] { return false; }, 700);
    save(&window, dir, QStringLiteral("tab-curves-serving"));
    session->setBudgetRule({});
    spinUntil([&] { return !session->curves().empty(); }, 300000);
    // "Calibrate exits": the curves on calibrated probabilities with the uncalibrated curve overlaid.
    QCheckBox* calibrate = window.policyControls()->calibrateBox();
    spinUntil([&] { return calibrate->isEnabled(); }, 120000);
    calibrate->click();
    spinUntil([&] { return session->calibrated() && !session->curves().empty(); }, 120000);
    spinUntil([&] { return !window.policyController()->isBusy(); }, 60000);
    stage->setCurrentIndex(0);
    spinUntil([] { return false; }, 700);
    save(&window, dir, QStringLiteral("tab-curves-calibrated"));
    return 0;
}
