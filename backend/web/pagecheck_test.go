package web_test

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// checkPage holds a page to the structure WEB.md promises every page: <html lang="en">, one
// <main>, one <h1>, a label for every input, aria-describedby pointing at something, unique
// ids, and no assets from elsewhere but the practice's logo.
func checkPage(tb testing.TB, page string) {
	tb.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		tb.Fatalf("the page does not parse: %v", err)
	}
	count := map[string]int{}
	ids := map[string]int{}
	labelled := map[string]bool{}
	var inputs, describedBy []string
	walk(doc, func(n *html.Node) {
		count[n.Data]++
		if id := attr(n, "id"); id != "" {
			ids[id]++
		}
		switch n.Data {
		case "html":
			if attr(n, "lang") != "en" {
				tb.Error(`the page lacks <html lang="en">`)
			}
		case "label":
			labelled[attr(n, "for")] = true
		case "input":
			if t := attr(n, "type"); t != "hidden" && t != "submit" {
				inputs = append(inputs, attr(n, "id"))
			}
		case "script":
			if attr(n, "src") != "" {
				tb.Errorf("the page loads a script from %q; scripts must be inline", attr(n, "src"))
			}
		case "link": // the favicon, from this server, is the one thing a page links
			if attr(n, "rel") != "icon" || attr(n, "href") != "/favicon.svg" {
				tb.Errorf("the page links %q; styles must be inline", attr(n, "href"))
			}
		case "img":
			if src := attr(n, "src"); !strings.HasPrefix(src, "/") && !strings.HasPrefix(attr(n, "class"), "logo") {
				tb.Errorf("the page shows an image from %q", src)
			}
			if _, ok := attrOK(n, "alt"); !ok {
				tb.Errorf("the image %q has no alt text", attr(n, "src"))
			}
		}
		if d := attr(n, "aria-describedby"); d != "" {
			describedBy = append(describedBy, strings.Fields(d)...)
		}
	})
	if count["main"] != 1 || count["h1"] != 1 {
		tb.Errorf("the page has %d <main> and %d <h1>, want one each", count["main"], count["h1"])
	}
	for _, id := range inputs {
		if id == "" || !labelled[id] {
			tb.Errorf("an input (id %q) has no <label for>", id)
		}
	}
	for _, id := range describedBy {
		if ids[id] == 0 {
			tb.Errorf("aria-describedby names %q, which is not on the page", id)
		}
	}
	for id, n := range ids {
		if n > 1 {
			tb.Errorf("id %q is used %d times", id, n)
		}
	}
}

func walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, name string) string {
	v, _ := attrOK(n, name)
	return v
}

func attrOK(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}
