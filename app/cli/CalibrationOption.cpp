#include "cli/CalibrationOption.h"

#include "eval/TemperatureScaling.h"

#include <iomanip>
#include <sstream>

namespace eenet::cli {
namespace {

std::string temperaturesText(const std::vector<double>& temperatures) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(4);
    for (size_t k = 0; k < temperatures.size(); ++k)
        text << (k ? " " : "") << temperatures[k];
    return text.str();
}

} // namespace

bool wantsTemperatureScaling(const Arguments& args) {
    if (!args.has(QStringLiteral("calibrate")))
        return false;
    if (args.value(QStringLiteral("calibrate")) != QLatin1String("temperature"))
        args.fail(QStringLiteral("--calibrate must be temperature, got '%1'")
                      .arg(args.value(QStringLiteral("calibrate"))));
    return true;
}

TemperatureCalibrated calibrateByTemperature(const Predictions& predictions) {
    const std::vector<double> temperatures = temperaturesOf(fitTemperatures(predictions));
    Predictions scaled = temperatureScaled(predictions, temperatures);
    scaled.loadNotes.push_back("probabilities temperature-scaled per exit (--calibrate temperature), T = " +
                               temperaturesText(temperatures) + " for exits 1.." +
                               std::to_string(temperatures.size()) + ", fitted on the validation split");
    return {std::make_shared<const Predictions>(std::move(scaled)), temperatures};
}

std::string calibrationLine(const std::vector<double>& temperatures) {
    return "calibration: temperature scaling fitted on val, T = " + temperaturesText(temperatures) +
           " (exits 1.." + std::to_string(temperatures.size()) + ")\n";
}

} // namespace eenet::cli
