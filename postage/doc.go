// Package postage plans the postage of a mail run before it is printed:
// which pieces share an envelope, which envelope, how much it weighs, which
// carrier product and price it takes, its presort level and container, the
// print order, and which output each envelope goes to. It costs the run
// before (one envelope per piece, as the input was printed, single-piece
// prices) and after the plan, and reports the saving.
//
// The package is format-neutral: it sees only the piece index (sequence
// number, pages, sheets and metadata), so PDF and AFP jobs plan alike.
//
//	cfg := postage.Config{Carrier: "deutschepost", Duplex: true, ...}
//	plan, err := postage.Make(pieces, cfg)
//	// plan.Order: piece sequence numbers in print order
//	// plan.Outputs["default"]: the same, for one output
//	// plan.Report.WriteText(os.Stdout)
//
// The steps, in order:
//
//  1. Check each piece's data: a missing or malformed postal code, or a
//     country the rate profile does not serve, is an Exception; the piece
//     goes to Config.Fallback (single-piece, or held for an operator) and
//     is never dropped.
//  2. Householding (off by default): pieces with the same key share an
//     envelope up to Household.MaxSheets; the rest overflow into further
//     envelopes.
//  3. Weighing: sheets × grammage × sheet area + envelope + inserts; the
//     envelope type is the smallest that holds the sheets; the product is
//     the cheapest whose weight step, less Config.SafetyMarginG, takes the
//     envelope.
//  4. Presort (off by default): per rate stream of the profile, envelopes
//     in postal-code order are grouped level by level, finest first
//     (USPS 5-digit, 3-digit, AADC, mixed AADC; Deutsche Post BZE, BZA);
//     groups that meet the level's minimums fill containers and earn its
//     price, the rest fall to the next level and finally to single-piece.
//  5. Print order: presorted containers in order, each in postal order,
//     then single-piece envelopes, then those with exceptions;
//     Config.SortKeys break ties, else the order the envelopes were made
//     in (input order, a household's envelopes together).
//  6. Splits: the first matching SplitRule names an envelope's output.
//
// Rate profiles are YAML files with an effective date, shipped in
// postage/rates (deutschepost, usps, royalmail) and loaded by name, or
// copied, edited and loaded by path. Prices that could not be confirmed
// from a published source carry confirmed: false, and the report marks the
// lines that use them. Amounts are exact (Money, in ten-thousandths of the
// currency unit); weights are in milligrams (Weight).
//
// Make is deterministic: the same pieces and configuration give the same
// plan. It is safe to call concurrently with one prepared Config.
package postage

import "errors"

// Errors of the package; every error wraps one of them.
var (
	// ErrConfig: the planning configuration is invalid.
	ErrConfig = errors.New("postage: invalid configuration")
	// ErrProfile: a rate profile is invalid.
	ErrProfile = errors.New("postage: invalid rate profile")
	// ErrUnknownProfile: no shipped rate profile has the name.
	ErrUnknownProfile = errors.New("postage: unknown rate profile")
	// ErrLabellingList: a labelling list cannot be read.
	ErrLabellingList = errors.New("postage: invalid labelling list")
	// ErrPieces: the pieces cannot be planned (a sequence number used twice,
	// negative counts).
	ErrPieces = errors.New("postage: invalid pieces")
)
