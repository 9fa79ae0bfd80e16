#pragma once

#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace eenet::cli {

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
    std::optional<double> number(const QString& name) const;
    std::optional<long long> integer(const QString& name) const;
    std::vector<double> numberList(const QString& name) const;

    [[noreturn]] void fail(const QString& problem) const;

private:
    QStringList m_positionals;
    QMap<QString, QString> m_values;
    QSet<QString> m_flags;
    QString m_usage;
};

} // namespace eenet::cli
