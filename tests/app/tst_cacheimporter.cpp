#include "CacheFixtures.h"

#include "CacheImporter.h"
#include "ImportDialog.h"
#include "MainWindow.h"
#include "io/PredictionsReader.h"
#include "session/Session.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using eenet::CacheImporter;
using eenet::ImportDialog;

class TestCacheImporter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void dialogPutsTheOutputBesideTheCache();
    void dialogKeepsAChosenOutput();
    void dialogBuildsTheRequest();
    void importerWritesAndSummarises();
    void importerReportsFailures();
    void fileMenuImportsAndOpens();

private:
    QString fixture(const QString& name) const { return m_dir.filePath(name); }
    static QLineEdit* field(const ImportDialog& dialog, const char* name) {
        return dialog.findChild<QLineEdit*>(QLatin1String(name));
    }
    static QPushButton* importButton(const ImportDialog& dialog) {
        for (QAbstractButton* button : dialog.findChild<QDialogButtonBox*>()->buttons())
            if (button->text() == QLatin1String("&Import"))
                return qobject_cast<QPushButton*>(button);
        return nullptr;
    }

    QTemporaryDir m_dir;
    QJsonObject m_summary;
};

void TestCacheImporter::initTestCase() {
    QStandardPaths::setTestModeEnabled(true); // the main window's settings and recent files
    QCoreApplication::setOrganizationName(QStringLiteral("EENetTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_cacheimporter"));
    QVERIFY(m_dir.isValid());
    makeCacheFixtures(m_dir.path(), m_summary);
}

void TestCacheImporter::dialogPutsTheOutputBesideTheCache() {
    ImportDialog dialog;
    QVERIFY(!importButton(dialog)->isEnabled());
    dialog.setSource(QStringLiteral("/runs/msdnet/logits_single.pth"));
    QCOMPARE(dialog.outputPath(), QStringLiteral("/runs/msdnet/logits_single.h5"));
    QVERIFY(importButton(dialog)->isEnabled());
    dialog.setSource(QStringLiteral("/runs/other/cache.npz"));
    QCOMPARE(dialog.outputPath(), QStringLiteral("/runs/other/cache.h5"));
}

void TestCacheImporter::dialogKeepsAChosenOutput() {
    ImportDialog dialog;
    QLineEdit* output = field(dialog, "output");
    output->clear();
    QTest::keyClicks(output, QStringLiteral("/tmp/mine.h5"));
    dialog.setSource(QStringLiteral("/runs/msdnet/logits_single.pth"));
    QCOMPARE(dialog.outputPath(), QStringLiteral("/tmp/mine.h5"));
    output->clear();
    QVERIFY(!importButton(dialog)->isEnabled());
}

void TestCacheImporter::dialogBuildsTheRequest() {
    ImportDialog dialog;
    dialog.setSource(QStringLiteral(" /runs/a/logits_single.pth "));
    field(dialog, "flops")->setText(QStringLiteral("/runs/a/flops.pth"));
    field(dialog, "seconds")->setText(QStringLiteral("/runs/a/seconds.csv"));
    field(dialog, "classes")->setText(QStringLiteral("/runs/a/names.txt"));
    field(dialog, "model")->setText(QStringLiteral("MSDNet"));
    field(dialog, "dataset")->setText(QStringLiteral("CIFAR-100"));
    const eenet::CacheImportRequest request = dialog.request();
    QCOMPARE(request.source, std::string("/runs/a/logits_single.pth"));
    QCOMPARE(request.flopsPath, std::string("/runs/a/flops.pth"));
    QCOMPARE(request.secondsPath, std::string("/runs/a/seconds.csv"));
    QCOMPARE(request.classesPath, std::string("/runs/a/names.txt"));
    QCOMPARE(request.model, std::string("MSDNet"));
    QCOMPARE(request.dataset, std::string("CIFAR-100"));
}

void TestCacheImporter::importerWritesAndSummarises() {
    CacheImporter importer;
    QSignalSpy imported(&importer, &CacheImporter::imported);
    eenet::CacheImportRequest request;
    request.source = fixture("logits_val_only.pth").toStdString();
    request.flopsPath = fixture("msdnet-run/flops_tensor.pth").toStdString();
    const QString out = fixture("from-importer.h5");
    importer.start(request, out);
    QVERIFY(importer.isBusy());
    QVERIFY(imported.wait(60000));
    QCOMPARE(imported.front().at(0).toString(), out);
    QCOMPARE(imported.front().at(1).toString(),
             QStringLiteral(
                 "3 exits, 4 classes; val: 6 samples of logits (softmax applied); no test split; costs in "
                 "MFLOPs from flops_tensor.pth (FLOPs / 10^6)"));
    QCOMPARE(eenet::readPredictions(out.toStdString())->costUnit, std::string("MFLOPs"));
}

void TestCacheImporter::importerReportsFailures() {
    CacheImporter importer;
    QSignalSpy failed(&importer, &CacheImporter::failed);
    eenet::CacheImportRequest request;
    request.source = fixture("fortran.npz").toStdString();
    importer.start(request, fixture("never.h5"));
    QVERIFY(failed.wait(60000));
    QCOMPARE(failed.front().at(0).toString(), fixture("fortran.npz"));
    QVERIFY(failed.front().at(1).toString().contains("fortran.npz: val_probs: is stored in Fortran"));
    QVERIFY(!QFile::exists(fixture("never.h5")));
}

void TestCacheImporter::fileMenuImportsAndOpens() {
    eenet::MainWindow window;
    window.show();
    QAction* action = nullptr;
    for (QAction* candidate : window.menuBar()->actions().front()->menu()->actions())
        if (candidate->text() == QStringLiteral("&Import…"))
            action = candidate;
    QVERIFY2(action, "File has no Import… action");
    action->trigger();
    auto* dialog = window.findChild<ImportDialog*>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    dialog->setSource(fixture("stored.npz"));
    field(*dialog, "output")->setText(fixture("from-menu.h5"));
    QSignalSpy loaded(window.session(), &eenet::Session::predictionsLoaded);
    importButton(*dialog)->click();
    QVERIFY(loaded.wait(60000));
    QCOMPARE(QString::fromStdString(window.session()->predictions()->sourcePath), fixture("from-menu.h5"));
    QVERIFY(window.session()->predictions()->description.find("stored.npz") != std::string::npos);

    // A bad cache: the error names the file and the array, and the file loaded before stays.
    QTRY_VERIFY(window.findChildren<ImportDialog*>().isEmpty()); // the first dialog deletes itself on close
    action->trigger();
    dialog = window.findChild<ImportDialog*>();
    QTRY_VERIFY(dialog && dialog->isVisible());
    dialog->setSource(fixture("nan.npz"));
    importButton(*dialog)->click();
    QTRY_VERIFY_WITH_TIMEOUT(window.findChild<QMessageBox*>(QStringLiteral("errorBox")), 60000);
    const QMessageBox* box = window.findChild<QMessageBox*>(QStringLiteral("errorBox"));
    QVERIFY2(box->text().contains("nan.npz: val_probs: contains NaN"), qPrintable(box->text()));
    QCOMPARE(QString::fromStdString(window.session()->predictions()->sourcePath), fixture("from-menu.h5"));
}

QTEST_MAIN(TestCacheImporter)
#include "tst_cacheimporter.moc"
