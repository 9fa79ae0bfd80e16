#pragma once

#include "eval/Method.h"

#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>
#include <string>
#include <vector>

namespace eenet::cli {

/// A budget as written on the command line: a cost in the file's unit ("0.2") or a share of the full
/// model's cost ("40%"). Which cost it means is known only once the file is read: see resolveBudget.
struct BudgetArgument {
    QString option;    ///< the option it came from, without "--" ("budget", "budgets")
    QString text;      ///< as written
    double number = 0; ///< the cost, or the percentage when `percent`
    bool percent = false;
};

/// The absolute budget `budget` stands for under these cumulative exit costs: the cost itself, or P % of
/// c_K. Throws ArgumentError (exit code 1) when it lies outside [c_1, c_K], naming the value as written, as
/// a cost and as a percentage, and the valid range in `unit` and in percent.
double resolveBudget(const BudgetArgument& budget, const std::vector<double>& costs, const std::string& unit);

/// Refuses an output the tool cannot write (a directory, or a file in a directory that does not exist)
/// before any work is done, since a fit can take minutes: throws IoError, one sentence naming the target.
void checkWritableTarget(const QString& path);

/// The arguments of one command: `--name value` options, `--flag` switches and positionals.
/// Throws UsageError (exit code 2) for unknown options, missing values and malformed numbers.
class Arguments {
public:
    Arguments(const QStringList& arguments, const QStringList& valueOptions, const QStringList& flags,
              const QString& usage);

    QStringList positionals() const { return m_positionals; }
    /// The single positional at `index`, or a usage error naming `what`.
    QString positional(int index, const QString& what) const;
    void expectPositionals(int count) const;

    bool flag(const QString& name) const { return m_flags.contains(name); }
    bool has(const QString& name) const { return m_values.contains(name); }
    QString value(const QString& name, const QString& fallback = {}) const {
        return m_values.value(name, fallback);
    }
    /// The value of `--name`, or a usage error saying it is missing.
    QString required(const QString& name) const;
    /// `text` as a method name, or a usage error listing the known ones.
    Method method(const QString& text) const;
    std::optional<double> number(const QString& name) const;
    std::optional<long long> integer(const QString& name) const;
    std::vector<double> numberList(const QString& name) const;
    /// `--name B` or `--name P%`; a malformed value is a usage error.
    std::optional<BudgetArgument> budget(const QString& name) const;
    /// budget(name), or a usage error saying it is missing.
    BudgetArgument requiredBudget(const QString& name) const;
    /// `--name B1,B2,...`, each a cost or a percentage.
    std::vector<BudgetArgument> budgetList(const QString& name) const;

    [[noreturn]] void fail(const QString& problem) const;

private:
    BudgetArgument parseBudget(const QString& name, const QString& text, const QString& expected) const;

    QStringList m_positionals;
    QMap<QString, QString> m_values;
    QSet<QString> m_flags;
    QString m_usage;
};

} // namespace eenet::cli
