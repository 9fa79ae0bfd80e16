#include "ImportDialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace eenet {
namespace {

std::string pathOf(const QLineEdit* field) {
    return QDir::fromNativeSeparators(field->text().trimmed()).toStdString();
}

} // namespace

ImportDialog::ImportDialog(QWidget* parent)
    : QDialog(parent) {
    setObjectName(QStringLiteral("importDialog"));
    setWindowTitle(tr("Import Prediction Cache"));
    auto* form = new QFormLayout;
    auto* intro = new QLabel(
        tr("Converts a cache of per-exit predictions into a predictions file and opens it: MSDNet's "
           "<i>logits_single.pth</i> (a torch.save tuple) or a NumPy <i>.npz</i> (val_probs or val_logits, "
           "val_labels, …). Logits are detected and turned into probabilities. The costs come from the "
           "latencies when given, else from the cache, else from the FLOPs."));
    intro->setWordWrap(true);
    form->addRow(intro);
    m_source = addFileRow(form, tr("&Cache:"), QStringLiteral("source"),
                          tr("Prediction caches (*.pth *.pt *.npz);;All files (*)"), Browse::Open);
    m_flops = addFileRow(form, tr("&FLOPs (optional):"), QStringLiteral("flops"),
                         tr("torch.save files (*.pth *.pt);;All files (*)"), Browse::Open);
    m_seconds = addFileRow(form, tr("&Latencies, ms (optional):"), QStringLiteral("seconds"),
                           tr("CSV (*.csv *.txt);;All files (*)"), Browse::Open);
    m_classes = addFileRow(form, tr("Class &names (optional):"), QStringLiteral("classes"),
                           tr("Text (*.txt);;All files (*)"), Browse::Open);
    m_flops->setToolTip(tr("Cumulative FLOPs per exit (flops.pth: a list or 1-D tensor), stored as MFLOPs"));
    m_seconds->setToolTip(tr("Cumulative latency in ms per exit, one per line, no header (seconds.csv)"));
    m_classes->setToolTip(tr("One class name per line; without it, class 0 … class C-1"));
    m_model = new QLineEdit;
    m_model->setObjectName(QStringLiteral("model"));
    m_model->setPlaceholderText(tr("the cache's folder and file name"));
    form->addRow(tr("&Model:"), m_model);
    m_dataset = new QLineEdit;
    m_dataset->setObjectName(QStringLiteral("dataset"));
    m_dataset->setPlaceholderText(tr("unknown"));
    form->addRow(tr("&Dataset:"), m_dataset);
    m_output = addFileRow(form, tr("&Write to:"), QStringLiteral("output"), tr("Predictions (*.h5 *.hdf5)"),
                          Browse::Save);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_importButton = buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
    setLayout(form);

    connect(m_source, &QLineEdit::textChanged, this, [this](const QString& path) {
        if (!m_outputChosen && !path.trimmed().isEmpty()) {
            const QFileInfo source(path.trimmed());
            m_output->setText(
                QDir::toNativeSeparators(source.dir().filePath(source.completeBaseName() + ".h5")));
        }
    });
    // textEdited, unlike textChanged, is only the user's typing: the output derived above does not count.
    connect(m_output, &QLineEdit::textEdited, this, [this] { m_outputChosen = true; });
    connect(m_source, &QLineEdit::textChanged, this, &ImportDialog::updateImportButton);
    connect(m_output, &QLineEdit::textChanged, this, &ImportDialog::updateImportButton);
    updateImportButton();
    resize(640, sizeHint().height());
}

QLineEdit* ImportDialog::addFileRow(QFormLayout* form, const QString& label, const QString& name,
                                    const QString& filter, Browse browse) {
    auto* field = new QLineEdit;
    field->setObjectName(name);
    auto* button = new QPushButton(tr("Browse…"));
    auto* row = new QHBoxLayout;
    row->addWidget(field, 1);
    row->addWidget(button);
    connect(button, &QPushButton::clicked, this, [this, field, label, filter, browse] {
        const QString start =
            field->text().isEmpty() ? QFileInfo(m_source->text()).absolutePath() : field->text();
        const QString title = QString(label).remove(QLatin1Char('&')).remove(QLatin1Char(':'));
        const QString path = browse == Browse::Open
                                 ? QFileDialog::getOpenFileName(this, title, start, filter)
                                 : QFileDialog::getSaveFileName(this, title, start, filter);
        if (path.isEmpty())
            return;
        if (field == m_output)
            m_outputChosen = true;
        field->setText(QDir::toNativeSeparators(path));
    });
    auto* rowLabel = new QLabel(label);
    rowLabel->setBuddy(field); // a row holding a layout gets no buddy of its own: the mnemonic needs one
    form->addRow(rowLabel, row);
    return field;
}

void ImportDialog::setSource(const QString& path) {
    m_source->setText(QDir::toNativeSeparators(path));
}

CacheImportRequest ImportDialog::request() const {
    CacheImportRequest request;
    request.source = pathOf(m_source);
    request.flopsPath = pathOf(m_flops);
    request.secondsPath = pathOf(m_seconds);
    request.classesPath = pathOf(m_classes);
    request.model = m_model->text().trimmed().toStdString();
    request.dataset = m_dataset->text().trimmed().toStdString();
    return request;
}

QString ImportDialog::outputPath() const {
    return QDir::fromNativeSeparators(m_output->text().trimmed());
}

void ImportDialog::updateImportButton() {
    m_importButton->setEnabled(!m_source->text().trimmed().isEmpty() &&
                               !m_output->text().trimmed().isEmpty());
}

} // namespace eenet
