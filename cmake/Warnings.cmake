# Warnings live in an INTERFACE target that every project target links PRIVATE, so they never leak to users.
add_library(eenet_warnings INTERFACE)
add_library(eenet::warnings ALIAS eenet_warnings)
target_compile_options(eenet_warnings INTERFACE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
if(EENET_WARNINGS_AS_ERRORS)
  target_compile_options(eenet_warnings INTERFACE -Werror)
endif()
