# khien_embed(OUTPUT out.cc NAMESPACE ns FILES a b ...) generates a .cc that defines
#   namespace ns { extern const EmbeddedFile kFiles[]; extern const size_t kFileCount; }
# holding each file's name (relative to CMAKE_CURRENT_SOURCE_DIR) and bytes, so the binary
# carries its reference data and works from any folder.
set(KHIEN_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_script.cmake)
function(khien_embed)
  cmake_parse_arguments(ARG "" "OUTPUT;NAMESPACE;BASE" "FILES" ${ARGN})
  if(NOT ARG_BASE)
    set(ARG_BASE ${CMAKE_CURRENT_SOURCE_DIR})
  endif()
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${ARG_OUTPUT} -DNAMESPACE=${ARG_NAMESPACE} -DBASE=${ARG_BASE}
            "-DFILES=${ARG_FILES}" -P ${KHIEN_EMBED_SCRIPT}
    DEPENDS ${ARG_FILES} ${KHIEN_EMBED_SCRIPT}
    COMMENT "Embedding ${ARG_NAMESPACE}"
    VERBATIM)
endfunction()
