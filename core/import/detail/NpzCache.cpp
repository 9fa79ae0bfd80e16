#include "import/detail/NpzCache.h"

#include "Error.h"
#include "import/detail/CacheAssembly.h"
#include "import/detail/NpyArray.h"
#include "import/detail/ZipArchive.h"
#include "io/detail/Hdf5Helpers.h"
#include "io/detail/ReaderLimits.h"

#include <map>
#include <set>

namespace eenet::cache {
namespace {

const std::set<std::string> kKnownArrays = {"val_probs",  "val_logits",  "val_labels",
                                            "test_probs", "test_logits", "test_labels",
                                            "costs",      "cost_unit",   "flops"};
constexpr const char* kSuffix = ".npy";

class NpzReader {
public:
    explicit NpzReader(const ZipArchive& archive)
        : m_archive(archive) {
        const std::string suffix = kSuffix;
        for (const ZipMember& member : archive.members()) {
            const std::string& name = member.name;
            const bool isArray = name.size() > suffix.size() &&
                                 name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
            const std::string array = isArray ? name.substr(0, name.size() - suffix.size()) : name;
            if (isArray && kKnownArrays.count(array))
                m_arrays.emplace(array, &member);
            else
                m_ignored.push_back(array);
        }
    }

    RawCache read() {
        RawCache cache;
        cache.file = m_archive.path();
        cache.val = *split("val", true);
        cache.test = split("test", false);
        cache.costs = perExit("costs");
        cache.flops = perExit("flops");
        if (const ZipMember* unit = find("cost_unit")) {
            if (cache.costs)
                cache.costUnit = NpyArray(m_archive, *unit, "cost_unit").text();
            else
                m_ignored.push_back("cost_unit (there are no costs)");
        }
        std::string used;
        for (const auto& [name, member] : m_arrays)
            if (name != "cost_unit" || cache.costs)
                used += (used.empty() ? "" : ", ") + name;
        cache.layout = "a NumPy .npz of " + used;
        cache.ignored = m_ignored;
        return cache;
    }

private:
    const ZipMember* find(const std::string& array) const {
        const auto it = m_arrays.find(array);
        return it == m_arrays.end() ? nullptr : it->second;
    }

    [[noreturn]] void fail(const std::string& array, const std::string& problem) const {
        throw FormatError(m_archive.path(), array, problem);
    }

    std::optional<RawSplit> split(const std::string& prefix, bool required) {
        const std::string probsName = prefix + "_probs";
        const std::string logitsName = prefix + "_logits";
        const std::string labelsName = prefix + "_labels";
        const ZipMember* probs = find(probsName);
        const ZipMember* logits = find(logitsName);
        const ZipMember* labels = find(labelsName);
        if (!probs && !logits && !labels && !required)
            return std::nullopt;
        if (probs && logits)
            fail(probsName, "is present and so is " + logitsName +
                                "; keep one, so that it is clear which the predictions are");
        if (!probs && !logits)
            fail(probsName, "missing (and no " + logitsName + "): an .npz cache holds " + probsName + " or " +
                                logitsName + " [K, N, C] and " + labelsName + " [N]" + holdsText());
        if (!labels)
            fail(labelsName,
                 "missing: " + std::string(probs ? probsName : logitsName) + " needs its labels [N]");

        RawSplit split;
        split.declared = probs ? DeclaredOutputs::Probabilities : DeclaredOutputs::Logits;
        const NpyArray outputs(m_archive, probs ? *probs : *logits, probs ? probsName : logitsName);
        if (outputs.header().kind != 'f')
            outputs.fail("holds " + outputs.header().dtype +
                         " values; predictions must be float16, float32 or "
                         "float64");
        if (const std::string problem = outputsShapeProblem(outputs.header().shape); !problem.empty())
            outputs.fail(problem);
        m_plannedBytes += splitBytes(outputs.header().shape);
        const long double budget = limits::memoryBudgetBytes();
        if (m_plannedBytes > budget)
            outputs.fail("is too large to load: with what was read before it needs " +
                         h5::bytesText(m_plannedBytes) + " in memory, more than the " +
                         h5::bytesText(budget) +
                         " an import may take on this machine (half of its physical memory)");
        const NpyArray classes(m_archive, *labels, labelsName);
        if (const std::string problem = labelsShapeProblem(classes.header().shape); !problem.empty())
            classes.fail(problem);
        split.outputs = {m_archive.path(), outputs.name(), outputs.header().dtype, outputs.header().shape,
                         outputs.floats()};
        split.labels = {m_archive.path(), classes.name(), classes.header().dtype, classes.header().shape,
                        classes.doubles()};
        return split;
    }

    std::optional<RawArray<double>> perExit(const std::string& name) const {
        const ZipMember* member = find(name);
        if (!member)
            return std::nullopt;
        const NpyArray array(m_archive, *member, name);
        if (const std::string problem = exitsShapeProblem(array.header().shape); !problem.empty())
            array.fail(problem);
        return RawArray<double>{m_archive.path(), name, array.header().dtype, array.header().shape,
                                array.doubles()};
    }

    std::string holdsText() const {
        std::string names;
        for (const auto& [name, member] : m_arrays)
            names += (names.empty() ? "" : ", ") + name;
        for (const std::string& name : m_ignored)
            names += (names.empty() ? "" : ", ") + name;
        return names.empty() ? "; this one is empty" : "; this one holds " + names;
    }

    const ZipArchive& m_archive;
    std::map<std::string, const ZipMember*> m_arrays;
    std::vector<std::string> m_ignored;
    long double m_plannedBytes = 0;
};

} // namespace

RawCache readNpzCache(const ZipArchive& archive) {
    return NpzReader(archive).read();
}

} // namespace eenet::cache
