// The 14 CheXpert observations (Irvin et al., 2019) with CheXpert's "No Finding" aggregation.
import type { LabelSetDefinition } from '../types'

export const CHEXPERT14: LabelSetDefinition = {
  slug: 'chexpert14',
  name: 'CheXpert (14 observations)',
  description:
    'The 14 CheXpert observations. "No Finding" is derived: positive only when no other observation ' +
    'except Support Devices is positive or uncertain. Hedging "all" by default (the CheXpert labeler\'s ' +
    'convention): every hedge, probable or possible, makes a finding uncertain.',
  aggregation: 'chexpert',
  hedging: 'all',
  labels: [
    { name: 'No Finding', description: 'No observation other than support devices is present or suspected.' },
    {
      name: 'Enlarged Cardiomediastinum',
      description: 'Widened mediastinum or enlarged cardiomediastinal silhouette.'
    },
    { name: 'Cardiomegaly', description: 'Enlarged heart / cardiac silhouette.' },
    { name: 'Lung Lesion', description: 'Nodule, mass or other focal lung lesion.' },
    { name: 'Lung Opacity', description: 'Opacity, infiltrate, density or airspace disease of the lung.' },
    { name: 'Edema', description: 'Pulmonary edema, including vascular congestion and heart failure.' },
    { name: 'Consolidation', description: 'Airspace consolidation.' },
    { name: 'Pneumonia', description: 'Pneumonia or pulmonary infection.' },
    { name: 'Atelectasis', description: 'Atelectasis or lung collapse.' },
    { name: 'Pneumothorax', description: 'Air in the pleural space.' },
    { name: 'Pleural Effusion', description: 'Fluid in the pleural space.' },
    { name: 'Pleural Other', description: 'Pleural thickening, plaques, calcification or other pleural disease.' },
    { name: 'Fracture', description: 'Fracture of any bone in the field of view.' },
    { name: 'Support Devices', description: 'Tubes, lines, catheters, pacemakers and other devices.' }
  ]
}

/** CheXpert's rule: these labels do not prevent "No Finding". */
export const NO_FINDING_IGNORES = ['Support Devices']
