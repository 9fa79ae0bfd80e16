#include "cli/CalibrationOption.h"

#include "eval/TemperatureScaling.h"

namespace eenet::cli {
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
    return {temperatureScaledCopy(predictions, temperatures, "--calibrate temperature"), temperatures};
}

std::string calibrationLine(const std::vector<double>& temperatures) {
    return "calibration: temperature scaling fitted on val, T = " + temperaturesText(temperatures) +
           " (exits 1.." + std::to_string(temperatures.size()) + ")\n";
}

} // namespace eenet::cli
