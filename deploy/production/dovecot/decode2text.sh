#!/bin/sh
# Dovecot's attachment decoder (fts_decoder = decode2text): turns an attachment into text
# for the full-text index, so a word inside a PDF, DOCX, ODT or XLSX finds its message.
#
# Debian 12 does not ship upstream's decode2text.sh, so this is our version of it, with
# the same protocol: run without arguments it prints the content types it decodes (and,
# for application/octet-stream, the file-name extension that stands for each); run with
# a content type it reads the attachment on stdin and writes UTF-8 text on stdout.
# Used by the production image (Dockerfile) and by the local stack (scripts/localstack.py).
#
# Converters (Debian packages): pdftotext (poppler-utils), docx2txt, odt2txt, xlsx2csv,
# catdoc/xls2csv/catppt (catdoc). Each runs under `timeout`, so a hostile or broken file
# cannot hold an indexer worker; a failed conversion indexes nothing, never the raw bytes.

formats='application/pdf pdf
application/x-pdf pdf
application/msword doc
application/vnd.ms-excel xls
application/vnd.ms-powerpoint ppt
application/vnd.openxmlformats-officedocument.wordprocessingml.document docx
application/vnd.openxmlformats-officedocument.spreadsheetml.sheet xlsx
application/vnd.openxmlformats-officedocument.presentationml.presentation pptx
application/vnd.oasis.opendocument.text odt
application/vnd.oasis.opendocument.spreadsheet ods
application/vnd.oasis.opendocument.presentation odp
application/rtf rtf
text/rtf rtf'

content_type=$1
if [ -z "$content_type" ]; then
    echo "$formats"
    echo  # Dovecot reads the list up to an empty line
    exit 0
fi

fmt=$(echo "$formats" | awk -v type="$content_type" '$1 == type { print $2; exit }')
if [ -z "$fmt" ]; then
    echo "decode2text: content type $content_type not supported" >&2
    exit 1
fi

# Most converters need a seekable file, not stdin.
tmpdir=$(mktemp -d) || exit 1
trap 'rm -rf "$tmpdir"' EXIT INT TERM
file="$tmpdir/attachment.$fmt"
cat > "$file"

LANG=C.UTF-8
export LANG
limit="timeout -k 5 60"

# Office Open XML / OpenDocument parts not covered by a dedicated converter.
xml_parts() {
    mkdir "$tmpdir/x" && cd "$tmpdir/x" || exit 1
    $limit unzip -q "$file" "$@" 2>/dev/null || exit 0
    find . -type f -print0 | xargs -0 cat | /usr/lib/dovecot/xml2text
}

case "$fmt" in
    pdf) $limit pdftotext -q -enc UTF-8 "$file" - ;;
    doc) $limit catdoc -d utf-8 "$file" ;;
    xls) $limit xls2csv -d utf-8 "$file" ;;
    ppt) $limit catppt -d utf-8 "$file" ;;
    docx) $limit docx2txt "$file" - ;;
    xlsx) $limit xlsx2csv --all "$file" ;;
    odt | ods | odp) $limit odt2txt --encoding=UTF-8 "$file" ;;
    pptx) xml_parts 'ppt/slides/*.xml' ;;
    rtf) $limit catdoc -d utf-8 "$file" ;;
esac 2>/dev/null
# A word at the very end of the text is indexed only once a separator follows it.
echo
exit 0
