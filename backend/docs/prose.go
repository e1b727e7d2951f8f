package docs

import (
	"html/template"
	"strings"
)

// prose renders the small part of Markdown the spec's descriptions use: paragraphs,
// "## " headings, "- " lists and `code`. Everything else is escaped text.
func prose(s string) template.HTML {
	var b strings.Builder
	for _, block := range strings.Split(strings.TrimSpace(s), "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		if heading, ok := strings.CutPrefix(lines[0], "## "); ok {
			b.WriteString("<h3>" + inline(heading) + "</h3>\n")
			lines = lines[1:]
		}
		if len(lines) == 0 || lines[0] == "" {
			continue
		}
		if strings.HasPrefix(lines[0], "- ") {
			b.WriteString("<ul>\n")
			for _, item := range listItems(lines) {
				b.WriteString("<li>" + inline(item) + "</li>\n")
			}
			b.WriteString("</ul>\n")
			continue
		}
		b.WriteString("<p>" + inline(strings.Join(lines, " ")) + "</p>\n")
	}
	return template.HTML(b.String())
}

// listItems joins each "- " line with the lines that continue it.
func listItems(lines []string) []string {
	var items []string
	for _, line := range lines {
		if item, ok := strings.CutPrefix(line, "- "); ok || len(items) == 0 {
			items = append(items, item)
			continue
		}
		items[len(items)-1] += " " + strings.TrimSpace(line)
	}
	return items
}

// inline escapes text and turns `spans` into code.
func inline(s string) string {
	parts := strings.Split(s, "`")
	var b strings.Builder
	for i, part := range parts {
		escaped := template.HTMLEscapeString(part)
		// An unmatched last backtick stays a backtick.
		switch {
		case i%2 == 0:
			b.WriteString(escaped)
		case i == len(parts)-1:
			b.WriteString("`" + escaped)
		default:
			b.WriteString("<code>" + escaped + "</code>")
		}
	}
	return b.String()
}
