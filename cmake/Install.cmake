# What `cmake --install` puts next to the programs (app/CMakeLists.txt installs those), in Debian's places,
# and the .deb that `cpack -G DEB` makes from the same rules.
set(EENET_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/eenet-studio)
set(EENET_INSTALL_DOCDIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/eenet-studio)

# The studio looks for its sample at bin/../share/eenet-studio/sample_data (app/SampleLocator.cpp).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/sample_data/ DESTINATION ${EENET_INSTALL_DATADIR}/sample_data
    FILES_MATCHING PATTERN "*.h5" PATTERN "*.pt" PATTERN "README.md")

install(FILES ${PROJECT_SOURCE_DIR}/resources/eenet-studio.desktop
    DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
# The hicolor theme files icons by their pixel size: read it from the PNG header (IHDR width and height).
set(eenet_icon ${PROJECT_SOURCE_DIR}/resources/icons/eenet-studio.png)
file(READ ${eenet_icon} eenet_icon_size OFFSET 16 LIMIT 8 HEX)
string(SUBSTRING "${eenet_icon_size}" 0 8 eenet_icon_width)
string(SUBSTRING "${eenet_icon_size}" 8 8 eenet_icon_height)
math(EXPR eenet_icon_width "0x${eenet_icon_width}")
math(EXPR eenet_icon_height "0x${eenet_icon_height}")
install(FILES ${eenet_icon}
    DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${eenet_icon_width}x${eenet_icon_height}/apps)

# Debian keeps the licence as share/doc/<package>/copyright and examples under the package's doc folder.
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${EENET_INSTALL_DOCDIR} RENAME copyright)
# docs/ as it is (the pages and their screenshots), listed at install time so a new page needs no rule.
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${EENET_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${EENET_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples DESTINATION ${EENET_INSTALL_DOCDIR} USE_SOURCE_PERMISSIONS
    PATTERN "__pycache__" EXCLUDE)

# `cpack -G DEB` in the build directory. dpkg-shlibdeps names the packages of the libraries the programs
# link (Qt 6, QCustomPlot, LibTorch, HDF5, zlib, libc); the rest is loaded at run time and named here:
# OpenBLAS, which Debian's LibTorch uses through libblas.so.3 (the reference BLAS is ~30x slower), and
# Qt's platform plugins.
set(CPACK_PACKAGE_NAME eenet-studio)
set(CPACK_PACKAGE_VENDOR "The EENet Studio authors")
set(CPACK_PACKAGE_CONTACT "The EENet Studio authors <maintainers@eenet-studio.invalid>"
    CACHE STRING "Maintainer of the .deb (name <email>)")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Analysis studio for early-exit neural networks (EENet)")
set(CPACK_PACKAGE_DESCRIPTION [[
EENet Studio loads a multi-exit network's per-exit validation and test
predictions (HDF5) and compares exit policies under an average cost budget:
EENet (learned exit scores and assignment, trained with LibTorch), max score,
entropy, patience, agreement and the oracle bound. Linked views follow a
budget slider; trained schedulers export as JSON or TorchScript for
deployment. Includes eenet-cli and a Fashion-MNIST sample.]])
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-pthread, qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
