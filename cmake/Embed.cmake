# bijou_embed(TARGET NAMESPACE HEADER FILES...) generates HEADER with one
# `inline constexpr std::string_view` per file, named after the file stem, and an
# `entries` array of {name, text} pairs. The header is regenerated when a file changes.
function(bijou_embed target namespace header)
  set(files ${ARGN})
  add_custom_command(
    OUTPUT ${header}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${header} -DNAMESPACE=${namespace}
            "-DFILES=${files}" -P ${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake
    COMMENT "Embedding ${namespace}"
    VERBATIM)
  target_sources(${target} PRIVATE ${header})
endfunction()
