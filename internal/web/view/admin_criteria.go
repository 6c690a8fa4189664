package view

import (
	"missiongrants/internal/review"
)

// AdminCriteria is the board's scoring criteria (admin_criteria).
type AdminCriteria struct {
	Page
	Criteria []review.Criterion
	New      review.CriterionInput
}
