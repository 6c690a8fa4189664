package export

import (
	"context"
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"missiongrants/internal/money"
)

// csvFlushRows is how many rows WriteCSV buffers before sending them.
const csvFlushRows = 500

// WriteCSV writes header, then e's rows for p as reader may read them (Run)
// as PostgreSQL sends them, each passed to label first (coded values in the
// reader's words). Every
// csvFlushRows rows it sends what is buffered and calls flush (the HTTP
// response's), so a download of any length moves in flat memory.
func (e Export) WriteCSV(ctx context.Context, q Querier, p Period, reader int64, w io.Writer, flush func(), header []string, label func(Row)) error {
	cw := NewCSV(w)
	cells := make([]Cell, len(header))
	for i, h := range header {
		cells[i] = Text(h)
	}
	cw.Row(cells...)
	n := 0
	err := e.Run(ctx, q, p, reader, func(row Row) error {
		label(row)
		for i, v := range row {
			cells[i] = csvCell(v)
		}
		cw.Row(cells...)
		if n++; n%csvFlushRows == 0 {
			if err := cw.Flush(); err != nil {
				return err
			}
			flush()
		}
		return nil
	})
	return errors.Join(err, cw.Flush())
}

// csvCell is a value as a cell: text is quoted and neutralised; numbers (a
// negative amount begins with -) and dates are the program's own and are not.
func csvCell(v any) Cell {
	switch v := v.(type) {
	case nil:
		return Plain("")
	case string:
		return Text(v)
	case int64:
		return Plain(strconv.FormatInt(v, 10))
	case float64: // the shortest decimal that reads back as v, as a workbook shows it
		return Plain(strconv.FormatFloat(v, 'f', -1, 64))
	case bool:
		return Plain(strconv.FormatBool(v))
	case money.Cents:
		return Plain(money.Decimal(v))
	case Date:
		return Plain(time.Time(v).Format(time.DateOnly))
	case time.Time:
		return Plain(v.UTC().Format("2006-01-02 15:04:05"))
	default:
		panic("export: cell of unexpected type")
	}
}

// WriteXLSX writes header and e's rows for p as reader may read them (Run),
// each passed to label first, through excelize's stream writer, which keeps
// only a small buffer in memory and spills the sheet to a temporary file.
func (e Export) WriteXLSX(ctx context.Context, q Querier, p Period, reader int64, w io.Writer, header []string, label func(Row)) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	amount, err := f.NewStyle(&excelize.Style{NumFmt: 2}) // 0.00
	if err != nil {
		return err
	}
	dateFmt, instantFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	instant, err := f.NewStyle(&excelize.Style{CustomNumFmt: &instantFmt})
	if err != nil {
		return err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = h
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	n := 1
	err = e.Run(ctx, q, p, reader, func(row Row) error {
		label(row)
		for i, v := range row {
			switch v := v.(type) {
			case money.Cents:
				cells[i] = excelize.Cell{StyleID: amount, Value: money.Units(v)}
			case Date:
				cells[i] = excelize.Cell{StyleID: date, Value: time.Time(v)}
			case time.Time:
				cells[i] = excelize.Cell{StyleID: instant, Value: v.UTC()}
			default: // text is stored as text: a spreadsheet never runs it
				cells[i] = v
			}
		}
		n++
		ref, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(ref, cells)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
