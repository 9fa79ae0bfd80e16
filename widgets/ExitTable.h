#pragma once

#include "data/DatasetSummary.h"

#include <QTableWidget>

namespace eenet {

/// One row per exit: name, cumulative cost, MFLOPs, standalone validation and test accuracy.
class ExitTable : public QTableWidget {
    Q_OBJECT
public:
    explicit ExitTable(QWidget* parent = nullptr);

    void setSummary(const DatasetSummary& summary);
};

} // namespace eenet
