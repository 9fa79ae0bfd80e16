#pragma once

#include "import/CacheImport.h"

#include <QDialog>

class QFormLayout;
class QLineEdit;
class QPushButton;

namespace eenet {

/// File ▸ Import…: asks for a prediction cache (logits_single.pth or .npz), the optional FLOPs, latency and
/// class-name files beside it, the model's and dataset's names, and where to write the predictions file (by
/// default beside the cache, as NAME.h5). Import is enabled once a cache and an output are given.
class ImportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ImportDialog(QWidget* parent = nullptr);

    CacheImportRequest request() const;
    QString outputPath() const;
    /// Sets the cache, and the output beside it unless one was typed or chosen.
    void setSource(const QString& path);

private:
    enum class Browse { Open, Save };
    QLineEdit* addFileRow(QFormLayout* form, const QString& label, const QString& name, const QString& filter,
                          Browse browse);
    void updateImportButton();

    QLineEdit* m_source;
    QLineEdit* m_flops;
    QLineEdit* m_seconds;
    QLineEdit* m_classes;
    QLineEdit* m_model;
    QLineEdit* m_dataset;
    QLineEdit* m_output;
    QPushButton* m_importButton;
    /// True once the output was typed or chosen rather than derived from the cache's name.
    bool m_outputChosen = false;
};

} // namespace eenet
