#include "cli/ImportCommand.h"

#include "cli/Arguments.h"
#include "cli/CliCommands.h"
#include "import/CacheImport.h"

namespace eenet::cli {

int runImport(const QStringList& arguments, std::ostream& out, std::ostream&) {
    const Arguments args(arguments,
                         {QStringLiteral("out"), QStringLiteral("flops"), QStringLiteral("seconds"),
                          QStringLiteral("classes"), QStringLiteral("model"), QStringLiteral("dataset")},
                         {}, usageOf(QStringLiteral("import")));
    CacheImportRequest request;
    request.source = args.positional(0, QStringLiteral("SOURCE")).toStdString();
    args.expectPositionals(1);
    const QString output = args.required(QStringLiteral("out"));
    request.flopsPath = args.value(QStringLiteral("flops")).toStdString();
    request.secondsPath = args.value(QStringLiteral("seconds")).toStdString();
    request.classesPath = args.value(QStringLiteral("classes")).toStdString();
    request.model = args.value(QStringLiteral("model")).toStdString();
    request.dataset = args.value(QStringLiteral("dataset")).toStdString();
    checkWritableTarget(output);

    const CacheImportReport report = importCacheToFile(request, output.toStdString());
    for (const std::string& line : reportLines(report))
        out << line << "\n";
    out << "written:     " << output.toStdString() << "\n";
    return kOk;
}

} // namespace eenet::cli
