// A small synthetic demo set written for this project (no real patient text). Each report has the
// labels a careful reader would give it, in the chexpert14 label set, for demos and end-to-end tests.
import type { LabelState } from '../../common/types'

export interface DemoReport {
  id: string
  findings: string
  impression: string
  gold: Record<string, LabelState>
}

export const DEMO_REPORTS: DemoReport[] = [
  {
    id: 'DEMO-001',
    findings: 'The heart is normal in size. The lungs are clear. No pleural effusion or pneumothorax.',
    impression: 'No acute cardiopulmonary abnormality.',
    gold: { 'No Finding': 'positive', 'Pleural Effusion': 'negative', Pneumothorax: 'negative' }
  },
  {
    id: 'DEMO-002',
    findings: 'The cardiac silhouette is enlarged. Small bilateral pleural effusions. Interstitial edema.',
    impression: 'Cardiomegaly with mild pulmonary edema and small bilateral effusions.',
    gold: { Cardiomegaly: 'positive', 'Pleural Effusion': 'positive', Edema: 'positive' }
  },
  {
    id: 'DEMO-003',
    findings: 'Right lower lobe airspace opacity. No pneumothorax.',
    impression: 'Right lower lobe consolidation, concerning for pneumonia in the appropriate clinical setting.',
    gold: { 'Lung Opacity': 'positive', Consolidation: 'positive', Pneumonia: 'uncertain', Pneumothorax: 'negative' }
  },
  {
    id: 'DEMO-004',
    findings: 'Small left apical pneumothorax. Left chest tube in place. Heart size is normal.',
    impression: 'Small left apical pneumothorax with chest tube in place.',
    gold: { Pneumothorax: 'positive', 'Support Devices': 'positive' }
  },
  {
    id: 'DEMO-005',
    findings: 'Linear opacities at the left lung base. The lungs are otherwise clear. No effusion.',
    impression: 'Left basilar atelectasis.',
    gold: { Atelectasis: 'positive', 'Lung Opacity': 'positive', 'Pleural Effusion': 'negative' }
  },
  {
    id: 'DEMO-006',
    findings: 'There is a 1.5 cm nodule in the right upper lobe. No consolidation.',
    impression: 'Right upper lobe pulmonary nodule. Recommend CT for further evaluation.',
    gold: { 'Lung Lesion': 'positive', Consolidation: 'negative' }
  },
  {
    id: 'DEMO-007',
    findings: 'Endotracheal tube terminates 4 cm above the carina. Nasogastric tube courses below the diaphragm. Lungs are clear.',
    impression: 'Support devices in satisfactory position. No acute process.',
    gold: { 'Support Devices': 'positive', 'No Finding': 'positive' }
  },
  {
    id: 'DEMO-008',
    findings: 'Healing fracture of the left sixth rib. No pneumothorax. The lungs are clear.',
    impression: 'Healing left rib fracture.',
    gold: { Fracture: 'positive', Pneumothorax: 'negative' }
  },
  {
    id: 'DEMO-009',
    findings: 'Stable mild cardiomegaly. No focal airspace disease. No pleural effusion.',
    impression: 'Stable mild cardiomegaly without acute findings.',
    gold: { Cardiomegaly: 'positive', 'Pleural Effusion': 'negative' }
  },
  {
    id: 'DEMO-010',
    findings: 'Hazy bibasilar opacities may represent atelectasis or early infection.',
    impression: 'Bibasilar opacities, atelectasis versus pneumonia.',
    gold: { 'Lung Opacity': 'positive', Atelectasis: 'uncertain', Pneumonia: 'uncertain' }
  },
  {
    id: 'DEMO-011',
    findings: 'The mediastinum is widened. Heart size within normal limits. No effusion.',
    impression: 'Widened mediastinum; correlate with CT.',
    gold: { 'Enlarged Cardiomediastinum': 'positive', 'Pleural Effusion': 'negative' }
  },
  {
    id: 'DEMO-012',
    findings: 'Blunting of the right costophrenic angle with pleural thickening. No pneumothorax.',
    impression: 'Right pleural thickening. No acute disease.',
    gold: { 'Pleural Other': 'positive', Pneumothorax: 'negative' }
  },
  {
    id: 'DEMO-013',
    findings: 'Previously seen left pleural effusion has resolved. Lungs are clear.',
    impression: 'Resolution of left pleural effusion.',
    gold: { 'Pleural Effusion': 'negative', 'No Finding': 'positive' }
  },
  {
    id: 'DEMO-014',
    findings: 'Moderate right pleural effusion with adjacent compressive atelectasis. Cardiomegaly.',
    impression: 'Moderate right pleural effusion. Enlarged heart.',
    gold: { 'Pleural Effusion': 'positive', Atelectasis: 'positive', Cardiomegaly: 'positive' }
  },
  {
    id: 'DEMO-015',
    findings: 'No evidence of pneumonia or edema. Heart and mediastinum are unremarkable.',
    impression: 'Normal chest radiograph.',
    gold: { Pneumonia: 'negative', Edema: 'negative', 'No Finding': 'positive' }
  },
  {
    id: 'DEMO-016',
    findings: 'Diffuse bilateral alveolar opacities. Possible small left effusion. Pacemaker leads unchanged.',
    impression: 'Diffuse bilateral opacities, likely pulmonary edema. Possible small left pleural effusion.',
    gold: { 'Lung Opacity': 'positive', Edema: 'uncertain', 'Pleural Effusion': 'uncertain', 'Support Devices': 'positive' }
  }
]
