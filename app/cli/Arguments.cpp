#include "cli/Arguments.h"

#include "cli/CliCommands.h"

#include <cmath>

namespace eenet::cli {

Arguments::Arguments(const QStringList& arguments, const QStringList& valueOptions, const QStringList& flags,
                     const QString& usage)
    : m_usage(usage) {
    for (int i = 0; i < arguments.size(); ++i) {
        const QString& argument = arguments[i];
        if (!argument.startsWith(QLatin1String("--")) || argument == QLatin1String("--")) {
            m_positionals << argument;
            continue;
        }
        QString name = argument.mid(2);
        QString inlineValue;
        const bool hasInline = name.contains(QLatin1Char('='));
        if (hasInline) {
            inlineValue = name.section(QLatin1Char('='), 1);
            name = name.section(QLatin1Char('='), 0, 0);
        }
        if (flags.contains(name) && !hasInline) {
            m_flags.insert(name);
        } else if (valueOptions.contains(name)) {
            if (!hasInline && i + 1 >= arguments.size())
                fail(QStringLiteral("option --%1 needs a value").arg(name));
            m_values[name] = hasInline ? inlineValue : arguments[++i];
        } else {
            fail(QStringLiteral("unknown option '%1'").arg(argument));
        }
    }
}

QString Arguments::positional(int index, const QString& what) const {
    if (index >= m_positionals.size())
        fail(QStringLiteral("missing %1").arg(what));
    return m_positionals[index];
}

void Arguments::expectPositionals(int count) const {
    if (m_positionals.size() > count)
        fail(QStringLiteral("unexpected argument '%1'").arg(m_positionals[count]));
}

std::optional<double> Arguments::number(const QString& name) const {
    if (!has(name))
        return std::nullopt;
    bool ok = false;
    const double result = value(name).toDouble(&ok);
    if (!ok || !std::isfinite(result))
        fail(QStringLiteral("--%1 needs a number, got '%2'").arg(name, value(name)));
    return result;
}

std::optional<long long> Arguments::integer(const QString& name) const {
    if (!has(name))
        return std::nullopt;
    bool ok = false;
    const long long result = value(name).toLongLong(&ok);
    if (!ok)
        fail(QStringLiteral("--%1 needs a whole number, got '%2'").arg(name, value(name)));
    return result;
}

std::vector<double> Arguments::numberList(const QString& name) const {
    std::vector<double> result;
    for (const QString& item : value(name).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double number = item.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(number))
            fail(QStringLiteral("--%1 needs comma-separated numbers, got '%2'").arg(name, item));
        result.push_back(number);
    }
    return result;
}

void Arguments::fail(const QString& problem) const {
    throw UsageError((problem + QStringLiteral("\nusage: ") + m_usage).toStdString());
}

} // namespace eenet::cli
