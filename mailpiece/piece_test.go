package mailpiece

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestPlacementJSON: a placement reads and writes its class's fields as
// its own, in the order they always had, and reads back with a class of
// its own.
func TestPlacementJSON(t *testing.T) {
	pl := Place(7, &EnvelopeClass{EnvelopeType: "C6/5", Sheets: 2, Product: "Standardbrief", Level: "BZA",
		Price: "0.59", Output: "main", Inserts: []string{"flyer"}})
	b, err := json.Marshal(Piece{Seq: 1, FirstPage: 1, Pages: 3, Sheets: 2, Placement: pl})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"seq":1,"first_page":1,"pages":3,"sheets":2,"plan":{"envelope":7,"envelope_type":"C6/5","envelope_sheets":2,` +
		`"product":"Standardbrief","level":"BZA","price":"0.59","output":"main","inserts":["flyer"]}}`
	if string(b) != want {
		t.Fatalf("JSON\n%s\nwant\n%s", b, want)
	}
	var back Piece
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Placement == nil || back.Placement.EnvelopeClass == nil || !reflect.DeepEqual(*back.Placement, *pl) {
		t.Errorf("read back %+v, want %+v", back.Placement, pl)
	}
	var held Placement
	if err := json.Unmarshal([]byte(`{"envelope":0}`), &held); err != nil || held.EnvelopeClass == nil || held.Held {
		t.Errorf("a placement without class fields: %+v, %v; want an empty class", held, err)
	}
	if !Held().Held {
		t.Error("Held() is not held")
	}
}
