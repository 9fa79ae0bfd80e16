#include "import/CacheImport.h"

#include "Error.h"
#include "import/detail/CacheAssembly.h"
#include "import/detail/NpzCache.h"
#include "import/detail/SideFiles.h"
#include "import/detail/TorchCache.h"
#include "import/detail/ZipArchive.h"
#include "io/PredictionsWriter.h"

#include <QCryptographicHash>
#include <QFile>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace eenet {
namespace {

/// How errors about a source as a whole name what they are about.
constexpr const char* kWholeFile = "file";
constexpr int kLabelWidth = 13;
/// Costs listed in full up to this many exits; beyond, the first and last few.
constexpr std::size_t kCostsListed = 8;

enum class SourceKind { Torch, Npz };

/// Which reader a source needs, from its content, not its name: torch.save files and .npz files are both ZIP
/// archives, told apart by their members.
SourceKind sourceKind(const std::string& path) {
    std::error_code error;
    std::ifstream file(path, std::ios::binary);
    if (!file.is_open() || std::filesystem::is_directory(path, error))
        throw IoError(path, "cannot be read (missing, a directory, or permission denied)");
    char magic[8] = {};
    file.read(magic, sizeof magic);
    const std::string head(magic, static_cast<std::size_t>(file.gcount()));
    if (head.rfind("PK", 0) == 0) {
        const cache::ZipArchive archive(path);
        const auto endsWith = [](const std::string& name, const std::string& suffix) {
            return name.size() >= suffix.size() &&
                   name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
        };
        for (const cache::ZipMember& member : archive.members())
            if (member.name == "data.pkl" || endsWith(member.name, "/data.pkl"))
                return SourceKind::Torch;
        for (const cache::ZipMember& member : archive.members())
            if (endsWith(member.name, ".npy"))
                return SourceKind::Npz;
        throw FormatError(
            path, "ZIP directory",
            "holds neither a torch.save pickle (data.pkl) nor NumPy arrays (.npy): not a cache");
    }
    if (!head.empty() && static_cast<unsigned char>(head[0]) == 0x80)
        return SourceKind::Torch; // a pickle: the legacy torch.save format, which the torch reader explains
    if (head.rfind("\x93NUMPY", 0) == 0)
        throw FormatError(path, kWholeFile,
                          "is a single .npy array; import an .npz holding val_probs (or val_logits) and "
                          "val_labels, written with np.savez");
    if (head.rfind("\x89HDF", 0) == 0)
        throw FormatError(path, kWholeFile, "is an HDF5 file already: open it as a predictions file");
    throw FormatError(path, kWholeFile,
                      head.empty() ? "is empty" : "is neither a torch.save file nor a NumPy .npz");
}

std::string sha256Of(const std::string& path) {
    QFile file(QString::fromStdString(path));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!file.open(QIODevice::ReadOnly) || !hash.addData(&file))
        throw IoError(path, "cannot be read to compute its SHA-256");
    return hash.result().toHex().toStdString();
}

std::string absolutePath(const std::string& path) {
    std::error_code error;
    const std::filesystem::path absolute = std::filesystem::absolute(path, error);
    return error ? path : absolute.lexically_normal().string();
}

/// The model's default name: MSDNet saves its cache in the run's folder, which names the run.
std::string defaultModel(const std::string& source) {
    const std::filesystem::path path(absolutePath(source));
    const std::string folder = path.parent_path().filename().string();
    return folder.empty() ? path.filename().string() : folder + "/" + path.filename().string();
}

std::vector<std::string> inputsOf(const CacheImportRequest& request) {
    std::vector<std::string> inputs;
    for (const std::string* path :
         {&request.source, &request.flopsPath, &request.secondsPath, &request.classesPath})
        if (!path->empty())
            inputs.push_back(*path);
    return inputs;
}

std::string numberText(double value) {
    std::ostringstream out;
    out << std::setprecision(6) << value;
    return out.str();
}

std::string costsText(const std::vector<double>& costs) {
    std::string text;
    for (std::size_t k = 0; k < costs.size(); ++k) {
        if (costs.size() > kCostsListed && k == kCostsListed - 2) {
            text += ", …";
            k = costs.size() - 2;
        }
        text += (k == 0 ? "" : ", ") + numberText(costs[k]);
    }
    return text;
}

/// What a split holds and how it was read: "N samples; val_logits, float16: logits (named so); softmax
/// applied".
std::string splitText(const ImportedSplit& split) {
    return std::to_string(split.numSamples) + " samples; " + split.array + ", " + split.dtype + ": " +
           (split.fromLogits ? "logits (" + split.evidence + "); softmax applied"
                             : "probabilities (" + split.evidence + ")");
}

bool sameFile(const std::string& a, const std::string& b) {
    std::error_code error;
    if (std::filesystem::equivalent(a, b, error))
        return true;
    const std::filesystem::path canonicalA = std::filesystem::weakly_canonical(a, error);
    if (error)
        return false;
    const std::filesystem::path canonicalB = std::filesystem::weakly_canonical(b, error);
    return !error && canonicalA == canonicalB;
}

/// The file's description: what the import found, and where it came from (the inputs' SHA-256, as sha256sum
/// prints them).
std::string provenance(const CacheImportRequest& request, const CacheImportReport& report) {
    std::string text = "Imported by EENet Studio " EENET_VERSION " from " +
                       std::filesystem::path(report.source).filename().string() + ", " + report.layout +
                       ".\nval: " + splitText(report.val) +
                       ".\ntest: " + (report.test ? splitText(*report.test) : "none") +
                       ".\ncosts: " + report.costUnit + ", from " + report.costSource + ".";
    if (!report.flopsSource.empty())
        text += "\nflops: MFLOPs, from " + report.flopsSource + ".";
    for (const std::string& note : report.notes)
        text += "\nnote: " + note + ".";
    text += "\nSource files (sha256sum format):";
    for (const std::string& input : inputsOf(request))
        text += "\n" + sha256Of(input) + "  " + absolutePath(input);
    return text;
}

} // namespace

std::vector<std::string> reportLines(const CacheImportReport& report) {
    std::vector<std::string> lines;
    const auto add = [&lines](const std::string& label, const std::string& text) {
        std::string line = label + ":";
        line.resize(std::max<std::size_t>(line.size() + 1, kLabelWidth), ' ');
        lines.push_back(line + text);
    };
    add("source", report.source + ", " + report.layout);
    add("exits (K)", std::to_string(report.numExits));
    add("classes (C)", std::to_string(report.numClasses));
    add("val (N)", splitText(report.val));
    add("test (M)", report.test ? splitText(*report.test) : "none");
    add("costs", costsText(report.costs) + " " + report.costUnit + ", from " + report.costSource);
    add("flops", report.flopsSource.empty() ? "none" : "MFLOPs, from " + report.flopsSource);
    add("class names", report.classSource.empty()
                           ? "class 0 ... class " + std::to_string(report.numClasses - 1) + " (none given)"
                           : "from " + report.classSource);
    for (const std::string& note : report.notes)
        add("note", note);
    return lines;
}

std::string importSummary(const CacheImportReport& report) {
    const auto splitSummary = [](const std::string& name, const ImportedSplit& split) {
        return "; " + name + ": " + std::to_string(split.numSamples) + " samples of " +
               (split.fromLogits ? "logits (softmax applied)" : "probabilities");
    };
    return std::to_string(report.numExits) + " exits, " + std::to_string(report.numClasses) + " classes" +
           splitSummary("val", report.val) +
           (report.test ? splitSummary("test", *report.test) : "; no test split") + "; costs in " +
           report.costUnit + " from " + report.costSource;
}

ImportedCache importCache(const CacheImportRequest& request) {
    cache::RawCache raw = sourceKind(request.source) == SourceKind::Torch
                              ? cache::readTorchCache(request.source)
                              : cache::readNpzCache(cache::ZipArchive(request.source));
    cache::SideInputs side;
    if (!request.flopsPath.empty())
        side.flops = cache::readTorchFlops(request.flopsPath);
    if (!request.secondsPath.empty())
        side.latenciesMs = cache::readLatencies(request.secondsPath);
    if (!request.classesPath.empty())
        side.classNames = cache::readClassNames(request.classesPath);

    ImportedCache imported;
    imported.predictions = cache::assemble(std::move(raw), std::move(side), imported.report);
    Predictions& p = imported.predictions;
    p.sourcePath = request.source;
    p.model = request.model.empty() ? defaultModel(request.source) : request.model;
    p.dataset = request.dataset.empty() ? "unknown" : request.dataset;
    p.description = provenance(request, imported.report);
    return imported;
}

CacheImportReport importCacheToFile(const CacheImportRequest& request, const std::string& outPath) {
    for (const std::string& input : inputsOf(request))
        if (sameFile(input, outPath))
            throw ArgumentError(outPath + ": is one of the import's inputs; choose another output file");
    const ImportedCache imported = importCache(request);
    writePredictions(outPath, imported.predictions);
    return imported.report;
}

} // namespace eenet
