#pragma once

#include "cli/Arguments.h"
#include "data/Predictions.h"
#include "eval/Split.h"
#include "io/SchedulerFile.h"

#include <QStringList>

#include <ostream>
#include <string>
#include <vector>

namespace eenet::cli {

/// `eenet-cli train FILE --budget B --out SCHED.json [--method M] [--calibrate temperature] [--seed S]
/// [--threads T] [--reference] [--json]`.
int runTrain(const QStringList& arguments, std::ostream& out, std::ostream& err);

/// `eenet-cli apply SCHED.json FILE [--split val|test] [--decisions OUT.csv] [--json]`.
int runApply(const QStringList& arguments, std::ostream& out, std::ostream& err);

/// Writes `index,exit,prediction` per sample (exit 0-based), atomically: the CSV of `apply --decisions`
/// and `run --decisions`. Throws IoError.
void writeDecisions(const QString& path, const std::vector<int>& exits, const std::vector<int>& predictions);

/// The scheduler a file holds, JSON or TorchScript (whose metadata is the same JSON). Throws IoError or
/// FormatError.
SchedulerFile describeScheduler(const std::string& path);

/// `--split val|test` of apply and run: test when FILE (`input`) has one, else val. Wrong usage for another
/// value; Error when test is asked of a file without it.
Split splitArgument(const Arguments& args, const Predictions& predictions, const QString& input);

} // namespace eenet::cli
