#include "cli/Arguments.h"

#include "Error.h"
#include "cli/CliCommands.h"

#include <QFileInfo>

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

QString Arguments::required(const QString& name) const {
    const QString text = value(name);
    if (text.isEmpty())
        fail(QStringLiteral("missing --%1").arg(name));
    return text;
}

BudgetArgument Arguments::requiredBudget(const QString& name) const {
    const auto argument = budget(name);
    if (!argument)
        fail(QStringLiteral("missing --%1").arg(name));
    return *argument;
}

Method Arguments::method(const QString& text) const {
    const auto method = Method::parse(text.trimmed().toStdString());
    if (!method) {
        QStringList known;
        for (const std::string& name : Method::allNames())
            known << QString::fromStdString(name);
        fail(QStringLiteral("unknown method '%1'; known: %2").arg(text, known.join(QLatin1Char(','))));
    }
    return *method;
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

BudgetArgument Arguments::parseBudget(const QString& name, const QString& text,
                                      const QString& expected) const {
    BudgetArgument budget{name, text.trimmed(), 0, false};
    QString number = budget.text;
    if (number.endsWith(QLatin1Char('%'))) {
        budget.percent = true;
        number.chop(1);
    }
    bool ok = false;
    budget.number = number.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(budget.number))
        fail(QStringLiteral("--%1 needs %2, got '%3'").arg(name, expected, text));
    return budget;
}

std::optional<BudgetArgument> Arguments::budget(const QString& name) const {
    if (!has(name))
        return std::nullopt;
    return parseBudget(name, value(name),
                       QStringLiteral("a cost in the file's unit or a percentage of the full cost (40%)"));
}

std::vector<BudgetArgument> Arguments::budgetList(const QString& name) const {
    std::vector<BudgetArgument> result;
    for (const QString& item : value(name).split(QLatin1Char(','), Qt::SkipEmptyParts))
        result.push_back(
            parseBudget(name, item,
                        QStringLiteral("comma-separated costs in the file's unit or percentages of "
                                       "the full cost (0.2,40%)")));
    return result;
}

void Arguments::fail(const QString& problem) const {
    throw UsageError((problem + QStringLiteral("\nusage: ") + m_usage).toStdString());
}

namespace {

QString costText(double value) {
    return QString::number(value, 'g', 6);
}

QString percentText(double value) {
    return QString::number(value, 'g', 4) + QStringLiteral(" %");
}

} // namespace

void checkWritableTarget(const QString& path) {
    const QFileInfo target(path);
    if (target.isDir())
        throw IoError(path.toStdString(), "cannot write: it is a directory");
    const QFileInfo directory(target.absolutePath());
    if (!directory.exists())
        throw IoError(path.toStdString(), "cannot write: the directory " +
                                              target.absolutePath().toStdString() + " does not exist");
    if (!directory.isDir())
        throw IoError(path.toStdString(),
                      "cannot write: " + target.absolutePath().toStdString() + " is not a directory");
}

double resolveBudget(const BudgetArgument& budget, const std::vector<double>& costs,
                     const std::string& unit) {
    if (costs.empty())
        throw ArgumentError("no exit costs");
    const double first = costs.front();
    const double full = costs.back();
    const double value = budget.percent ? budget.number / 100.0 * full : budget.number;
    if (value >= first && value <= full)
        return value;
    // The range prints with 6 significant digits: a bound typed back as printed (0.056718 for
    // 0.056718000000000005) means that bound.
    constexpr double kPrintedPrecision = 1e-5;
    if (value < first && value >= first * (1 - kPrintedPrecision))
        return first;
    if (value > full && value <= full * (1 + kPrintedPrecision))
        return full;
    const QString costUnit = QString::fromStdString(unit);
    // The lowest share rounded up, so that a user who types it back gets a budget inside the range.
    const double lowestPercent = std::ceil(10000.0 * first / full) / 100.0;
    const QString what = budget.percent
                             ? QStringLiteral("%1 of the full cost %2 %3 is %4 %3,")
                                   .arg(percentText(budget.number), costText(full), costUnit, costText(value))
                             : QStringLiteral("%1 %2 (%3 of the full cost) is")
                                   .arg(costText(value), costUnit, percentText(100.0 * value / full));
    throw ArgumentError(QStringLiteral("--%1 %2: %3 outside the valid range [%4, %5] %6 = [%7, 100 %] of the "
                                       "full cost (the first exit's cost to the last's)")
                            .arg(budget.option, budget.text, what, costText(first), costText(full), costUnit,
                                 percentText(lowestPercent))
                            .toStdString());
}

} // namespace eenet::cli
