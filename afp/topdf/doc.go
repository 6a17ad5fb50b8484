// Package topdf renders AFP print files (MO:DCA-P) as PDF: text (PTOCA)
// with its fonts at the positions the printer would give it, rules and
// colours, images (IOCA), simple graphics (GOCA), overlays and page
// segments, each page at the size of its page descriptor.
//
//	res, err := topdf.Transform(in, out, topdf.Options{})
//
// Text is drawn in the active coded font, mapped through its code page to
// Unicode (the afp package's code-page tables), so that the PDF's text
// can be searched and extracted. Resident IBM fonts (character sets such
// as C0H200B0, coded fonts X0…) stand for open fonts with the same widths
// by an editable table (fonts.txt, ShippedFontTable; Options.FontTable),
// embedded as subsets with a ToUnicode map; the size is the one coded in
// the raster font's name, or the one the Map Coded Font gives.
//
// Overlays (IPO) and page segments (IPS) come from the file's resource
// group or from Options.ResourceDir. One PDF is made of the whole file or
// of one named page group (Options.Piece); page groups become the PDF's
// outline entries.
//
// Whatever the transform cannot render is a Warning naming the structured
// field, its offset and what was drawn instead; nothing is dropped
// silently. Bad input is an error wrapping ErrInput or ErrImage, never a
// panic, and nothing is allocated by a size read from the input beyond the
// bounds of maxResourceBytes and maxImagePixels.
package topdf
