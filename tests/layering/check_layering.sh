#!/usr/bin/env bash
# The house's layering, checked on the sources: dependencies point app -> widgets -> core; LibTorch and HDF5
# headers appear only in core's .cpp files and in core's private detail/ headers, which only core's .cpp
# files include. Prints each offending line and exits 1.
set -euo pipefail
root=${1:?usage: check_layering.sh SOURCE_DIR}
cd "$root"
status=0
offend() {
    echo "layering: $1" >&2
    printf '%s\n' "$2" >&2
    status=1
}
torch_or_hdf5='#include *[<"](torch/|ATen/|H5Cpp\.h|hdf5\.h|H5[A-Za-z]*\.h)'
if hits=$(grep -rnE '#include *"[^"]*detail/' app widgets tests --include='*.cpp' --include='*.h'); then
    offend "a private core/…/detail header is included outside core:" "$hits"
fi
if hits=$(grep -rnE "$torch_or_hdf5" core --include='*.h' | grep -v '/detail/'); then
    offend "a public core header includes LibTorch or HDF5 (move it under detail/):" "$hits"
fi
if hits=$(grep -rnE "$torch_or_hdf5" app widgets --include='*.cpp' --include='*.h'); then
    offend "LibTorch or HDF5 is included above core:" "$hits"
fi
if hits=$(grep -rnE '#include *[<"](QWidget|QtWidgets|qcustomplot)' core --include='*.cpp' --include='*.h'); then
    offend "core includes a widget header:" "$hits"
fi
if hits=$(grep -rnE '#include *"(MainWindow|[A-Za-z]*Controller)\.h"' widgets --include='*.cpp' --include='*.h'); then
    offend "widgets includes an app header:" "$hits"
fi
((status == 0)) && echo "layering: app -> widgets -> core, LibTorch and HDF5 private to core"
exit "$status"
