package pdf

import (
	"fmt"

	"github.com/omsd/omsd/mailpiece"
)

// Outline returns the top-level bookmarks of the document, in order, with
// the pages they lead to. A document without bookmarks has an empty
// outline. A bookmark whose destination is not a page of the document is an
// error wrapping ErrOutline; an outline whose bookmarks form a loop is an
// error wrapping ErrDamaged.
//
// Destinations are read from a bookmark's /Dest or from its /A GoTo action;
// they may be explicit ([page /XYZ ...]) or named, looked up in the catalog's
// /Dests dictionary or its /Names /Dests name tree. The time taken grows
// linearly with the number of bookmarks.
func (d *Doc) Outline() (entries []mailpiece.OutlineEntry, err error) {
	defer guard(&err, d.path+": outline")
	defer d.reading()()
	entries, err = d.outline()
	if err != nil {
		return nil, fmt.Errorf("%s: outline: %w", d.path, err)
	}
	return entries, nil
}

func (d *Doc) outline() ([]mailpiece.OutlineEntry, error) {
	outlines, err := d.resolveDict(d.catalog.get("Outlines"))
	if err != nil {
		return nil, fmt.Errorf("%w: /Outlines: %v", ErrDamaged, err)
	}
	if outlines == nil {
		return nil, nil
	}
	r := &resolver{d: d}
	seen := map[int]int{} // object number -> bookmark number
	var entries []mailpiece.OutlineEntry
	for item, n := outlines.get("First"), 1; item != nil; n++ {
		if ref, ok := item.(ref); ok {
			if prev, loop := seen[ref.num]; loop {
				return nil, fmt.Errorf("%w: bookmark %d leads back to bookmark %d: the bookmarks form a loop", ErrDamaged, n, prev)
			}
			seen[ref.num] = n
		}
		dict, err := d.resolveDict(item)
		if err != nil || dict == nil {
			return nil, fmt.Errorf("%w: bookmark %d is not a dictionary (%v)", ErrDamaged, n, err)
		}
		title := d.itemTitle(dict)
		page, err := r.itemPage(dict)
		if err != nil {
			return nil, fmt.Errorf("bookmark %d %q: %w", n, title, err)
		}
		entries = append(entries, mailpiece.OutlineEntry{Title: title, Page: page})
		item = dict.get("Next")
	}
	return entries, nil
}

// itemTitle decodes a bookmark's /Title (PDFDocEncoding, UTF-16BE or
// UTF-8); a missing or unreadable title is empty.
func (d *Doc) itemTitle(item dict) string {
	o, err := d.resolve(item.get("Title"))
	if s, ok := o.(str); ok && err == nil {
		return textString(s)
	}
	return ""
}
