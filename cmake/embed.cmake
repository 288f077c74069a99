# aop_embed(<output.cpp> <files...>)
# Generates a C++ file exposing every file as aop::resources::find("<relative path>").
# Paths are relative to the source root, e.g. "src/store/migrations/sqlite/0001_init.sql".
function(aop_embed output)
  set(files ${ARGN})
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DROOT=${CMAKE_SOURCE_DIR} "-DFILES=${files}"
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding resources"
    VERBATIM)
endfunction()
