#pragma once

#include <QStringList>

#include <ostream>

namespace eenet::cli {

/// `eenet-cli measure --model MODEL.pt FILE [--split val|test] [--out OUT.h5] [--name NAME]
/// [--max-batch B] [--seconds S] [--no-check]`: times a TorchScript multi-exit model on the file's stored
/// inputs at batch sizes 1, 2, 4, ... and writes the file again with its serving costs (/exits/batch_sizes,
/// /exits/batch_costs) and batch 1's latencies as the cost vector /exits/extra_costs/NAME, everything else
/// kept as it was.
int runMeasure(const QStringList& arguments, std::ostream& out, std::ostream& err);

} // namespace eenet::cli
